/**
 * Runs Prisma's schema engine (compiled to WebAssembly, package
 * `@prisma/schema-engine-wasm`) over `@prisma/adapter-pg` (see
 * ./engine-adapter.ts), so migrations work without the native
 * `schema-engine` binary, which the Prisma 7 CLI would download.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { bindMigrationAwareSqlAdapterFactory, type ErrorRegistry } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

import { EngineAdapterFactory, type Log } from './engine-adapter.js';
import { redactMessage } from './pg-url.js';

export { withMaintenanceClient, withPgClient, type Log } from './engine-adapter.js';

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

// ---------------------------------------------------------------------------
// WASM loading (once per process; each operation makes its own SchemaEngine)

interface WasmApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

let enginePromise: Promise<EngineModule> | undefined;

export function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg: EngineModule = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(jsPath), 'schema_engine_bg.wasm'));
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    // The engine arms timers it never clears (e.g. the 10 s timeout around
    // its advisory lock), which would keep Node alive 10 s after the work is
    // done: unref them. Pending sockets still keep the process alive.
    const imports: Record<string, unknown> = { ...bg };
    for (const key of Object.keys(imports).filter((k) => k.startsWith('__wbg_setTimeout_'))) {
      imports[key] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
    }
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': imports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg;
  })();
  enginePromise.catch(() => (enginePromise = undefined));
  return enginePromise;
}

// ---------------------------------------------------------------------------

export interface EngineOptions {
  databaseUrl: string;
  schemaPath: string;
  schemaText: string;
  log?: Log;
}

/** Error from the engine or the database, with any password removed. */
export class SchemaEngineError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SchemaEngineError';
  }
}

/**
 * A JS error thrown inside the adapter reaches the engine as
 * "External error id#N"; the original is kept in the adapter's registry.
 */
function unwrapExternalError(err: unknown, registry: ErrorRegistry): unknown {
  const message = (err as { message?: unknown })?.message;
  const m = typeof message === 'string' ? /External error id#(\d+)/.exec(message) : null;
  const original = m ? registry.consumeError(Number(m[1]))?.error : undefined;
  return original ?? err;
}

function engineError(err: unknown, databaseUrl: string): SchemaEngineError {
  if (err instanceof SchemaEngineError) return err;
  const e = err as { message?: unknown; code?: unknown; error_code?: unknown; meta?: unknown };
  const raw = typeof e?.message === 'string' ? e.message : typeof err === 'string' ? err : JSON.stringify(err);
  const code = typeof e?.code === 'string' ? e.code : typeof e?.error_code === 'string' ? e.error_code : undefined;
  return new SchemaEngineError(redactMessage(raw, databaseUrl), code);
}

/**
 * Creates a SchemaEngine over the database, runs `fn`, then frees the engine,
 * drops any shadow database and closes every connection pool.
 */
export async function withEngine<T>(opts: EngineOptions, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const log: Log = opts.log ?? (() => undefined);
  const bg = await loadEngineModule();
  const factory = new EngineAdapterFactory(opts.databaseUrl, log);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine | undefined;
  let result: T;
  try {
    engine = await bg.SchemaEngine.new(
      { datamodels: [[opts.schemaPath, opts.schemaText]] },
      (line: unknown) => log(`engine: ${redactMessage(formatEngineLog(line), opts.databaseUrl)}`),
      bound,
    );
    result = await fn(engine);
  } catch (err) {
    engine?.free();
    // A cleanup failure is logged, never reported in place of the real error.
    await factory.close().catch((e: unknown) => log(`cleanup failed: ${redactMessage(String(e), opts.databaseUrl)}`));
    throw engineError(unwrapExternalError(err, bound.errorRegistry), opts.databaseUrl);
  }
  engine.free();
  try {
    await factory.close(); // e.g. a shadow database that could not be dropped
  } catch (err) {
    throw engineError(err, opts.databaseUrl);
  }
  return result;
}

/** The engine logs JSON lines; keep level and message (not e.g. whole scripts). */
function formatEngineLog(line: unknown): string {
  const text = String(line).trim();
  try {
    const entry = JSON.parse(text) as { level?: string; fields?: { message?: string } };
    if (entry.fields?.message !== undefined) return `${entry.level ?? 'INFO'} ${entry.fields.message}`;
  } catch {
    // not JSON: pass through
  }
  return text;
}
