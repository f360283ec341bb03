import type { Command } from 'commander';
import { apiClient, type Api } from '../client.js';
import { UsageError } from '../exit-codes.js';
import { parseFormat, type Format } from '../output.js';
import { resolveSettings, type GlobalFlags, type Settings } from '../settings.js';

/** Where the CLI reads and writes; the process's streams, or a test's. */
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  stdin: () => Promise<string>;
  /** Set by a command that ends with a code other than 0 without an error (diff with changes). */
  exitCode?: number;
}

export interface CliContext {
  version: string;
  io: Io;
}

export interface Session {
  settings: Settings;
  api: Api;
}

/** The settings and client for a command, from the root's flags, the environment and the config file. */
export async function session(command: Command, ctx: CliContext): Promise<Session> {
  const flags = command.optsWithGlobals<GlobalFlags>();
  const settings = await resolveSettings(flags, ctx.io.env, ctx.version);
  return { settings, api: apiClient(settings) };
}

export function outputOption(value: string): Format {
  return parseFormat(value);
}

export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1) throw new UsageError(`${flag} ${value}: a positive whole number`);
    return n;
  };
}
