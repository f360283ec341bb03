import type { Command } from 'commander';
import { plan, type Change } from '../apply.js';
import { renderChange, summaryLine } from '../diff-view.js';
import { readDocuments } from '../documents.js';
import { EXIT } from '../exit-codes.js';
import { parseDuration, waitFor } from '../wait.js';
import { session, type CliContext } from './session.js';

export function registerApply(root: Command, ctx: CliContext): void {
  const { io } = ctx;
  root
    .command('apply')
    .description(
      'Create or update what the documents declare, in dependency order. A document equal to what is stored ' +
        'changes nothing; a changed config or deployment becomes a new version.',
    )
    .requiredOption('-f, --filename <path...>', 'YAML or JSON files, directories, or - for stdin')
    .option('--wait', 'then wait for every deployment in the documents to be READY')
    .option('--timeout <duration>', 'how long --wait waits in all (e.g. 15m)', '15m')
    .action(async (opts: { filename: string[]; wait?: boolean; timeout: string }, command: Command) => {
      const timeoutMs = parseDuration(opts.timeout);
      const { api, settings } = await session(command, ctx);
      const documents = await readDocuments(opts.filename, settings.workspace, io.stdin);
      const changes = await plan(api, documents, io.env);
      for (const change of changes) io.stdout.write(`${summaryLine(change, await change.apply())}\n`);
      if (!opts.wait) return;
      const deadline = Date.now() + timeoutMs;
      for (const change of changes.filter((c) => c.doc.kind === 'Deployment')) {
        const { workspace, name } = change.doc;
        await waitFor(api, { workspace, name, target: 'READY', timeoutMs: deadline - Date.now(), out: io.stderr });
      }
    });

  root
    .command('diff')
    .description(
      'Show what apply would change, as a unified diff. Exit 0 when nothing would change, 1 when something ' +
        'would, 2 or 3 on error.',
    )
    .requiredOption('-f, --filename <path...>', 'YAML or JSON files, directories, or - for stdin')
    .action(async (opts: { filename: string[] }, command: Command) => {
      const { api, settings } = await session(command, ctx);
      const documents = await readDocuments(opts.filename, settings.workspace, io.stdin);
      const changes = await plan(api, documents, io.env);
      const pending = changes.filter((c: Change) => c.action !== 'unchanged');
      const color = Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
      for (const change of pending) io.stdout.write(renderChange(change, color));
      for (const change of changes.filter((c) => c.action === 'unchanged' && c.note)) {
        io.stderr.write(`${summaryLine(change, `unchanged (${change.note})`)}\n`);
      }
      io.exitCode = pending.length ? EXIT.failed : EXIT.ok;
    });
}
