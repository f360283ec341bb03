/**
 * The command a local instance runs: an argv array, or a string split the way
 * a POSIX shell splits words (quotes and backslashes, no expansion, no
 * globbing; nothing is ever run through a shell). Placeholders are
 * substituted per word after splitting, so a value with spaces stays one
 * argument.
 */
export type CommandInput = string | readonly string[];

export interface CommandVars {
  port: number;
  /** NIM_SERVED_MODEL_NAME from the spec's env, else the deployment name. */
  model: string;
  instanceId: string;
  host: string;
}

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;
const KNOWN: readonly (keyof CommandVars)[] = ['port', 'model', 'instanceId', 'host'];

export class CommandTemplate {
  private readonly words: readonly string[];

  constructor(input: CommandInput) {
    const words = typeof input === 'string' ? splitShellWords(input) : [...input];
    if (words.length === 0 || words[0] === '') throw new Error('The local runtime command is empty');
    for (const word of words) {
      for (const [, name] of word.matchAll(PLACEHOLDER)) {
        if (!(KNOWN as string[]).includes(name)) {
          throw new Error(
            `Unknown placeholder {${name}} in the local runtime command; known: ${KNOWN.map((k) => `{${k}}`).join(', ')}`,
          );
        }
      }
    }
    this.words = words;
  }

  render(vars: CommandVars): string[] {
    return this.words.map((word) => word.replace(PLACEHOLDER, (_, name: keyof CommandVars) => String(vars[name])));
  }
}

export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      // Inside double quotes a backslash only escapes the characters a shell lets it escape.
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 < line.length) {
        const next = line[++i];
        if (next !== '\n') {
          word += next;
          inWord = true;
        }
      }
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== null) throw new Error(`Unterminated ${quote} in the local runtime command: ${line}`);
  if (inWord) words.push(word);
  return words;
}
