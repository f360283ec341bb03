import { ENTITY_NAME_PATTERN } from '#domain';
import { instanceIdOf } from './runtime.js';

/** Valid names that differ only where a naive encoding would lose the difference. */
const TRICKY = [
  'ab',
  'a.b',
  'b.cc',
  'cc',
  'a@b',
  'a+b_c.d',
  'ab-c',
  'c-d',
  'x.y@z+1_2',
  'v1',
  'a.v1',
  `a${'.b'.repeat(31)}`,
];

describe('instanceIdOf', () => {
  it('gives every (workspace, deployment, version) of valid names its own id, safe as a file name', () => {
    for (const name of TRICKY) expect(name).toMatch(ENTITY_NAME_PATTERN);
    const seen = new Map<string, string>();
    for (const workspace of TRICKY)
      for (const deployment of TRICKY)
        for (const version of [1, 11]) {
          const id = instanceIdOf(workspace, deployment, version);
          const who = `${workspace}/${deployment}/${version}`;
          expect(seen.get(id) ?? who).toBe(who);
          seen.set(id, who);
          expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._@+~-]{0,252}$/);
        }
  });

  it('keeps the ids of workspaces without dots as they were', () => {
    expect(instanceIdOf('default', 'llama', 3)).toBe('default.llama.v3');
    expect(instanceIdOf('team-a', 'a+b_c.d', 1)).toBe('team-a.a+b_c.d.v1');
    expect(instanceIdOf('a.b', 'cc', 1)).toBe('a~b.cc.v1');
  });
});
