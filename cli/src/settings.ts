import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { UsageError } from './exit-codes.js';

/** Where the CLI talks to, as whom, and in which workspace: flags over environment over the config file's context. */
export interface Settings {
  url: string;
  apiKey?: string;
  workspace?: string;
  version: string;
}

/** One named context of the config file. */
export interface Context {
  url?: string;
  workspace?: string;
  /** The key itself (the file is written readable by its owner only). */
  'api-key'?: string;
  /** Or the name of an environment variable that holds it (a CI secret). */
  'api-key-env'?: string;
}

export interface ConfigFile {
  'current-context'?: string;
  contexts?: Record<string, Context>;
}

export interface GlobalFlags {
  url?: string;
  apiKey?: string;
  workspace?: string;
  context?: string;
  config?: string;
}

export const DEFAULT_URL = 'http://localhost:8080';

/** MODELPLANE_CONFIG, else $XDG_CONFIG_HOME/modelplane/config.yaml, else ~/.config/modelplane/config.yaml. */
export function configPath(flags: GlobalFlags, env: NodeJS.ProcessEnv): string {
  if (flags.config) return flags.config;
  if (env.MODELPLANE_CONFIG) return env.MODELPLANE_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'modelplane', 'config.yaml');
}

export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new UsageError(`the config file ${path} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`the config file ${path} must be a mapping`);
  const file = parsed as ConfigFile;
  if (file.contexts !== undefined && (typeof file.contexts !== 'object' || Array.isArray(file.contexts))) {
    throw new UsageError(`contexts in ${path} must be a mapping of context names to settings`);
  }
  return file;
}

/** Writes the config file readable by its owner only: it may hold API keys. */
export async function writeConfigFile(path: string, file: ConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, stringify(file), { mode: 0o600 });
  await chmod(path, 0o600);
}

/** Resolves the settings: each of url, key and workspace from the first of flag, environment, context. */
export async function resolveSettings(flags: GlobalFlags, env: NodeJS.ProcessEnv, version: string): Promise<Settings> {
  const path = configPath(flags, env);
  const file = await readConfigFile(path);
  const name = flags.context ?? env.MODELPLANE_CONTEXT ?? file['current-context'];
  let context: Context = {};
  if (name) {
    const found = file.contexts?.[name];
    if (!found) {
      if (flags.context || env.MODELPLANE_CONTEXT) throw new UsageError(`no context named "${name}" in ${path}`);
    } else context = found;
  }
  const fromContextEnv = context['api-key-env'] ? env[context['api-key-env']] : undefined;
  const url = flags.url ?? env.MODELPLANE_URL ?? context.url ?? DEFAULT_URL;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new UsageError(`the server URL "${url}" is not an http(s) URL`);
  }
  return {
    url,
    apiKey: flags.apiKey ?? env.MODELPLANE_API_KEY ?? context['api-key'] ?? fromContextEnv,
    workspace: flags.workspace ?? env.MODELPLANE_WORKSPACE ?? context.workspace,
    version,
  };
}

/** The workspace a command acts in, or a usage error that says how to give one. */
export function requireWorkspace(settings: Settings, fromDocument?: string): string {
  const workspace = fromDocument ?? settings.workspace;
  if (!workspace) {
    throw new UsageError('no workspace: pass --workspace, set MODELPLANE_WORKSPACE, or set one in the context');
  }
  return workspace;
}
