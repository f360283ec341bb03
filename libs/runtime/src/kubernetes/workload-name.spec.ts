import { createHash } from 'node:crypto';
import { ENTITY_NAME_PATTERN } from '#domain';
import { DNS_LABEL, labelValue, workloadName } from './nim.compiler.js';

/** Valid names that differ only in what a DNS name cannot hold (`@`, `+`, `_`, `.`), or in length. */
const TRICKY = [
  'ab',
  'a@b',
  'a+b',
  'a_b',
  'a.b',
  'a-b',
  'a+b_c.d',
  'x.y@z+1_2',
  'v1',
  'a-v1',
  'a-v1-v2',
  'ab-',
  `a${'b'.repeat(62)}`,
  `a${'b'.repeat(61)}c`,
  `a${'.b'.repeat(31)}`,
  `a${'@b'.repeat(31)}`,
  `a${'-b'.repeat(31)}`,
].filter((name) => ENTITY_NAME_PATTERN.test(name));

/** The earlier scheme's names (objects on clusters still carry them): the new names must never equal one. */
function legacyName(workspace: string, deployment: string, version: number): string {
  const plain = `${workspace}-${deployment}-v${version}`;
  if (/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(plain)) return plain;
  const hash = createHash('sha256').update(`${workspace}/${deployment}/${version}`).digest('hex').slice(0, 8);
  const slug = plain
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 54)
    .replace(/-+$/, '');
  return `${slug}-${hash}`;
}

/** A seeded generator, so a failure names a case that comes back on the next run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Valid names, heavy in `-` and the characters a DNS name cannot hold; a tenth are the longest allowed (63). */
function generateNames(count: number, next: () => number): string[] {
  const letters = 'abv';
  const rest = 'av19-@.+_';
  const names: string[] = [];
  while (names.length < count) {
    const length = next() < 0.1 ? 63 : 2 + Math.floor(next() * 14);
    let name = letters[Math.floor(next() * letters.length)];
    while (name.length < length) name += rest[Math.floor(next() * rest.length)];
    if (ENTITY_NAME_PATTERN.test(name)) names.push(name);
  }
  return names;
}

/** Every way to cut `joined` at a `-` into two valid names: the pairs the earlier scheme gave one name. */
function splits(joined: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = joined.indexOf('-'); i >= 0; i = joined.indexOf('-', i + 1)) {
    const pair: [string, string] = [joined.slice(0, i), joined.slice(i + 1)];
    if (pair.every((name) => ENTITY_NAME_PATTERN.test(name))) out.push(pair);
  }
  return out;
}

describe('Kubernetes object names of deployment versions', () => {
  it('give team-a/llama and team/a-llama two names (the earlier scheme gave both team-a-llama-v1)', () => {
    expect(legacyName('team-a', 'llama', 1)).toBe(legacyName('team', 'a-llama', 1));
    expect(workloadName('team-a', 'llama', 1)).toBe('team-a--llama-v1');
    expect(workloadName('team', 'a-llama', 1)).toBe('team--a-llama-v1');
  });

  it('are DNS-1035 labels, one per (workspace, deployment, version), over thousands of generated tricky names', () => {
    const next = random(20261202);
    const names = [...TRICKY, ...generateNames(400, next)];
    const triples: [string, string, number][] = [];
    for (const workspace of [...TRICKY, 'default', 'team-a', 'team'])
      for (const deployment of TRICKY) triples.push([workspace, deployment, 1]);
    for (let i = 0; i < 4000; i++) {
      const pick = () => names[Math.floor(next() * names.length)];
      triples.push([pick(), pick(), [1, 2, 12, 2_147_483_647][Math.floor(next() * 4)]]);
    }
    // The collisions of the earlier scheme: one string cut at each of its dashes.
    const cut: [string, string, number][] = [];
    for (const joined of ['team-a-llama', 'a-b-c-d-e', 'x-v1-v2', ...generateNames(2000, next)])
      for (const [workspace, deployment] of splits(joined))
        cut.push([workspace, deployment, 1], [workspace, deployment, 2]);
    expect(cut.length).toBeGreaterThan(500);
    triples.push(...cut);

    const owner = new Map<string, string>();
    const legacy = new Set(triples.map(([w, d, v]) => legacyName(w, d, v)));
    for (const [workspace, deployment, version] of triples) {
      const name = workloadName(workspace, deployment, version);
      expect(name).toMatch(DNS_LABEL);
      expect(workloadName(workspace, deployment, version)).toBe(name);
      const who = `${workspace}/${deployment}/${version}`;
      if ((owner.get(name) ?? who) !== who) throw new Error(`${who} and ${owner.get(name)} are both ${name}`);
      owner.set(name, who);
      expect(legacy.has(name)).toBe(false);
    }
    expect(owner.size).toBe(new Set(triples.map((t) => t.join('/'))).size);
  });

  it('split back into workspace, deployment and version when plain (first `--`, last `-v`)', () => {
    const next = random(7);
    const plainNames = generateNames(3000, next).filter((name) => /^[a-z0-9-]+$/.test(name));
    expect(plainNames.length).toBeGreaterThan(100);
    let plain = 0;
    for (let i = 0; i + 1 < plainNames.length; i++) {
      const [workspace, deployment] = [plainNames[i], plainNames[i + 1]];
      const name = workloadName(workspace, deployment, i + 1);
      const parts = /^(.+?)--(.+)-v(\d+)$/.exec(name);
      if (`${workspace}--${deployment}-v${i + 1}`.length > 63) {
        expect(name).toMatch(/-[0-9a-f]{16}$/);
        continue;
      }
      plain++;
      expect(parts?.slice(1)).toEqual([workspace, deployment, String(i + 1)]);
    }
    expect(plain).toBeGreaterThan(50);
  });

  it('keep label values valid for every valid name', () => {
    for (const name of TRICKY) expect(labelValue(name)).toMatch(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/);
  });
});
