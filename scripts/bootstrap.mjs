#!/usr/bin/env node
// Makes a fresh clone runnable: installs dependencies when package-lock.json
// is newer than the last install (npm's own node_modules/.package-lock.json),
// generates the Prisma client when the schema changed, and compiles.
// Plain Node with no dependencies, so it runs before `npm ci`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

if (!process.argv.includes('--no-build')) {
  console.log('[bootstrap] compiling…');
  run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json']);
  run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'cli']);
}
