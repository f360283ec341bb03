import { styleText } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { Change } from './apply.js';

/**
 * A change as a unified diff of YAML, stored state (cut to the document's
 * fields) against the document: what `modelplane diff` prints, and what
 * `apply` would do.
 */
export function renderChange(change: Change, color: boolean): string {
  const id = `${change.doc.kind.toLowerCase()}/${change.doc.name}`;
  const before = change.before === null ? '' : stringify(change.before);
  const after = stringify(change.after);
  const patch = createTwoFilesPatch(
    `${id} (stored)`,
    `${id} (${change.doc.source})`,
    before,
    after,
    undefined,
    undefined,
    { context: 3 },
  )
    .split('\n')
    .filter((line) => !line.startsWith('====')) // the header line jsdiff adds for an Index
    .join('\n');
  const lines = patch.trimEnd().split('\n');
  const coloured = color
    ? lines.map((l) =>
        l.startsWith('+') && !l.startsWith('+++')
          ? styleText('green', l)
          : l.startsWith('-') && !l.startsWith('---')
            ? styleText('red', l)
            : l.startsWith('@@')
              ? styleText('cyan', l)
              : l,
      )
    : lines;
  const heading = `${change.action === 'create' ? 'create' : 'update'} ${change.doc.workspace}/${id}${change.note ? ` (${change.note})` : ''}`;
  return `${heading}\n${coloured.join('\n')}\n`;
}

/** One line per document: what apply did or would do. */
export function summaryLine(change: Change, result: string): string {
  return `${change.doc.kind.toLowerCase()}/${change.doc.name} ${result}`;
}
