import { ENTITY_NAME_PATTERN } from '#domain';
import { labelValue, workloadName } from './nim.compiler.js';

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
  `a${'b'.repeat(62)}`,
  `a${'b'.repeat(61)}c`,
  `a${'.b'.repeat(31)}`,
  `a${'@b'.repeat(31)}`,
];

describe('Kubernetes object names of deployment versions', () => {
  it('are DNS-1123 labels of at most 63 characters, one per (workspace, deployment, version), for every valid name', () => {
    for (const name of TRICKY) expect(name).toMatch(ENTITY_NAME_PATTERN);
    const seen = new Map<string, string>();
    for (const workspace of ['default', 'ws@1', 'ws.1', ...TRICKY.slice(-3)])
      for (const deployment of TRICKY)
        for (const version of [1, 12, 2_147_483_647]) {
          const name = workloadName(workspace, deployment, version);
          expect(name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
          expect(workloadName(workspace, deployment, version)).toBe(name);
          const who = `${workspace}/${deployment}/${version}`;
          expect(seen.get(name) ?? who).toBe(who);
          seen.set(name, who);
        }
  });

  it('keep label values valid for every valid name', () => {
    for (const name of TRICKY) expect(labelValue(name)).toMatch(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/);
  });
});
