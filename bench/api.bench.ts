/**
 * API benchmark: list and get-by-name under concurrency, Modelplane's API
 * against a bare Fastify + pg handler running the same queries, in the same
 * run, on the same database. Prints both throughputs and the ratio.
 *
 *   npm run bench                       # defaults
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=32 npm run bench
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { migrationPaths, projectRoot } from '#db';
import { applyMigrations } from '#db/migrations';
import { createTestDatabase, dropTestDatabase } from '#testing';
import { BENCH_AUTH } from './bench-auth.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '8,32').split(',').map(Number);
const POOL = 10;
const MODELS = 500;
const WS = 'bench';

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function startServer(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function load(url: string, connections: number): Promise<Result> {
  const r = await autocannon({ url, connections, duration: SECONDS, pipelining: 1, headers: BENCH_AUTH });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`INSERT INTO workspaces (id, name, updated_at) VALUES ('workspace-bench', $1, now())`, [WS]);
  for (let i = 0; i < MODELS; i++) {
    await client.query(
      `INSERT INTO models (id, workspace, name, description, spec, custom_fields, model_providers, updated_at)
       VALUES ($1, $2, $3, $4, $5, '{}', ARRAY['bench/p1'], now())`,
      [
        `model-bench${i}`,
        WS,
        `model-${String(i).padStart(4, '0')}`,
        `Benchmark model ${i}`,
        JSON.stringify({ context_size: 8192, family: 'llama' }),
      ],
    );
  }
  await client.query('ANALYZE');
  await client.end();
}

async function main(): Promise<void> {
  const db = await createTestDatabase('modelplane_bench');
  try {
    await applyMigrations({ databaseUrl: db, ...migrationPaths() });
    await seed(db);
    const root = projectRoot();
    const api = await startServer(join(root, 'dist/bench/api-server.js'), [], {
      DATABASE_URL: db,
      DATABASE_POOL_SIZE: String(POOL),
    });
    const bare = await startServer(join(root, 'dist/bench/bare-server.js'), ['0', db, String(POOL)], {});
    const scenarios = [
      { name: 'list (page_size 20)', path: `/v2/workspaces/${WS}/models?page=3&page_size=20` },
      { name: 'list (page_size 100)', path: `/v2/workspaces/${WS}/models?page_size=100` },
      { name: 'get by name', path: `/v2/workspaces/${WS}/models/model-0250` },
    ];
    const rows: string[][] = [];
    for (const s of scenarios) {
      for (const c of CONNECTIONS) {
        // Warm both, then measure the baseline and Modelplane back to back.
        await load(`http://127.0.0.1:${bare.port}${s.path}`, c).then(() => undefined);
        const base = await load(`http://127.0.0.1:${bare.port}${s.path}`, c);
        await load(`http://127.0.0.1:${api.port}${s.path}`, c).then(() => undefined);
        const mp = await load(`http://127.0.0.1:${api.port}${s.path}`, c);
        rows.push([
          s.name,
          String(c),
          mp.rps.toFixed(0),
          base.rps.toFixed(0),
          (mp.rps / base.rps).toFixed(2),
          `${mp.p50}/${mp.p99}`,
          `${base.p50}/${base.p99}`,
          String(mp.errors + base.errors),
        ]);
      }
    }
    await Promise.all([stop(api.child), stop(bare.child)]);
    printTable(
      ['scenario', 'conns', 'modelplane rps', 'bare rps', 'ratio', 'mp p50/p99 ms', 'bare p50/p99 ms', 'errors'],
      rows,
    );
    console.log(
      `\n${SECONDS}s per measurement after a ${SECONDS}s warm-up; ${MODELS} models; pool ${POOL} in both; target ratio ≥ 0.50.`,
    );
  } finally {
    await dropTestDatabase(db);
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill();
  });
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
