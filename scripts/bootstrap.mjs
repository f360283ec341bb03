#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies when package-lock.json
// is newer than the last install (npm's own node_modules/.package-lock.json),
// generates the Prisma client when the schema changed, and compiles.
// Plain Node with no dependencies, so it runs before `npm ci`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const installed = join(root, 'node_modules', '.package-lock.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, env = {}) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

function hash(...files) {
  const h = createHash('sha256');
  for (const f of files) h.update(existsSync(join(root, f)) ? readFileSync(join(root, f)) : '');
  return h.digest('hex');
}

const mtime = (f) => statSync(join(root, f)).mtimeMs;
if (!existsSync(installed) || mtime('package-lock.json') > statSync(installed).mtimeMs) {
  console.log('[bootstrap] installing dependencies (npm ci)…');
  run(npm, ['ci', '--no-audit', '--no-fund']);
}

const generatedStamp = join(root, 'libs', 'db', 'src', 'generated', '.schema-hash');
const schemaHash = hash('prisma/schema.prisma', 'package-lock.json');
if (!existsSync(generatedStamp) || readFileSync(generatedStamp, 'utf8') !== schemaHash) {
  console.log('[bootstrap] generating the Prisma client…');
  // `prisma generate` only checks that a schema engine exists; it never runs it.
  run(join(root, 'node_modules', '.bin', 'prisma'), ['generate'], { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true' });
  writeFileSync(generatedStamp, schemaHash);
}

/**
 * What the compiled output depends on: every TypeScript source the two tsconfigs include (path, size and
 * modification time; a stat per file, a few milliseconds in all), the tsconfigs and the lock file.
 */
function sourcesFingerprint() {
  const h = createHash('sha256');
  const walk = (dir) => {
    if (!existsSync(join(root, dir))) return;
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(path);
      } else if (/\.(ts|mts|cts|json)$/.test(entry.name)) {
        const { size, mtimeMs } = statSync(join(root, path));
        h.update(`${path}\0${size}\0${mtimeMs}\n`);
      }
    }
  };
  for (const dir of ['apps', 'libs', 'bench', 'scripts', 'cli/src']) walk(dir);
  h.update(hash('tsconfig.json', 'tsconfig.build.json', 'cli/tsconfig.json', 'package-lock.json'));
  return h.digest('hex');
}

if (!process.argv.includes('--no-build')) {
  // Compiling takes half a minute on two cores: only when a source changed since the last build.
  const builtStamp = join(root, 'dist', '.sources-fingerprint');
  const fingerprint = sourcesFingerprint();
  const cliBuilt = existsSync(join(root, 'cli', 'dist'));
  if (!cliBuilt || !existsSync(builtStamp) || readFileSync(builtStamp, 'utf8') !== fingerprint) {
    console.log('[bootstrap] compiling…');
    run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json']);
    run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'cli']);
    writeFileSync(builtStamp, fingerprint);
  }
}
