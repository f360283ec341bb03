#!/usr/bin/env node
// The npm registry these machines reach serves only the platform packages
// this platform can use (no darwin/win32/… builds of @swc/core and friends),
// so `npm install` leaves them out of package-lock.json and `npm ci` then
// refuses the lock ("Missing: … from lock file"). This adds an entry for each
// missing optional platform package, with its os/cpu/libc, so npm ci skips it
// on other platforms and fetches it by version where it fits. Run it after
// any `npm install` that changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = [['arm64'], ['x64'], ['ia32'], ['ppc64'], ['s390x'], ['riscv64'], ['loong64'], ['arm', /-arm-/]];

function platformOf(name) {
  const base = name.split('/').pop();
  const os = OS.find((o) => base.includes(`-${o}-`) || base.endsWith(`-${o}`));
  const cpu = CPU.find(([c, re]) => (re ? re.test(`${base}-`) : base.includes(`-${c}`)))?.[0];
  if (!os || !cpu) return null;
  const libc = /-musl/.test(base) ? ['musl'] : os === 'linux' && /-gnu/.test(base) ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (packages[key] || packages[`${path}/${key}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[key] = { version, ...platform, ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: ${added} platform package entr${added === 1 ? 'y' : 'ies'} added`);
