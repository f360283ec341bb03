import { AccessSnapshot } from './access-snapshot.js';
import { apiKeyMatches, apiKeyPrefix, generateApiKey, hashApiKey } from './api-key.js';
import { FailureLimiter } from './failure-limiter.js';
import { PERMISSIONS, roleGrants, scopesAllow, type Permission } from './permissions.js';
import { bindingSubjects, principalProblem, type Principal } from './principal.js';

describe('API keys', () => {
  it('have a recognisable prefix, 256 random bits, and are stored as a hash that only they match', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^mp_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyPrefix(a.key)).toBe(a.prefix);
    expect(a.key).not.toBe(b.key);
    expect(a.hash.equals(hashApiKey(a.key))).toBe(true);
    expect(a.hash.toString('hex')).not.toContain(a.key.slice(16));
    expect(apiKeyMatches(a.key, a.hash)).toBe(true);
    expect(apiKeyMatches(b.key, a.hash)).toBe(false);
    expect(apiKeyMatches(`${a.key}x`, a.hash)).toBe(false);
  });

  it('does not take other tokens for keys', () => {
    for (const token of ['mp_', 'mp_0123456789ab', 'mp_0123456789AB_' + 'x'.repeat(43), 'eyJ.a.b', 'x'.repeat(64)]) {
      expect(apiKeyPrefix(token)).toBeNull();
    }
  });
});

describe('permissions', () => {
  it('grow with the role: Viewer < Editor < Admin < PlatformAdmin', () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      const granted = (['Viewer', 'Editor', 'Admin', 'PlatformAdmin'] as const).map((r) => roleGrants(r, permission));
      // Once a role holds a permission, every higher role does.
      expect(granted).toEqual([...granted].sort((x, y) => Number(x) - Number(y)));
      expect(roleGrants('PlatformAdmin', permission)).toBe(true);
    }
  });

  it('keep the documented lines', () => {
    expect(roleGrants('Viewer', 'secrets.read')).toBe(false);
    expect(roleGrants('Editor', 'secrets.read')).toBe(true);
    expect(roleGrants('Editor', 'providers.write')).toBe(false);
    expect(roleGrants('Admin', 'providers.write')).toBe(true);
    expect(roleGrants('Viewer', 'inference')).toBe(true);
    expect(roleGrants('Admin', 'platform.admin')).toBe(false);
    expect(roleGrants(null, 'workspace.read')).toBe(false);
    expect(roleGrants(null, 'workspace.create')).toBe(true);
  });

  it('scopes: write includes read, admin includes write, inference stands alone', () => {
    expect(scopesAllow(['write'], 'read')).toBe(true);
    expect(scopesAllow(['read'], 'write')).toBe(false);
    expect(scopesAllow(['admin'], 'write')).toBe(true);
    expect(scopesAllow(['admin'], 'inference')).toBe(false);
    expect(scopesAllow(['inference'], 'read')).toBe(false);
    expect(scopesAllow([], 'read')).toBe(false);
  });
});

describe('principals', () => {
  it('are checked by kind', () => {
    expect(principalProblem('alice@example.com', false)).toBeNull();
    expect(principalProblem('service-account:ci-pipeline', false)).toBeNull();
    expect(principalProblem('service-account:CI', false)).toMatch(/lowercase/);
    expect(principalProblem('group:ml', false)).toMatch(/cannot hold an API key/);
    expect(principalProblem('group:ml', true)).toBeNull();
    expect(principalProblem('group:', true)).toMatch(/names no group/);
    expect(principalProblem('*', false)).toMatch(/cannot hold/);
    expect(principalProblem('*', true)).toBeNull();
    expect(principalProblem('has space', true)).toMatch(/printable/);
    expect(principalProblem('', true)).toMatch(/printable/);
  });
});

describe('AccessSnapshot', () => {
  const alice: Principal = {
    id: 'alice',
    kind: 'user',
    email: 'alice@example.com',
    groups: ['ml'],
    via: 'oidc',
    keyId: null,
    keyWorkspace: null,
    scopes: null,
  };
  const snapshot = new AccessSnapshot(
    [],
    [
      { workspace: 'a', principal: 'alice', role: 'Viewer' },
      { workspace: 'a', principal: 'group:ml', role: 'Editor' },
      { workspace: 'b', principal: 'alice@example.com', role: 'Admin' },
      { workspace: 'c', principal: '*', role: 'Viewer' },
      { workspace: 'd', principal: 'bob', role: 'Admin' },
      { workspace: null, principal: 'root', role: 'PlatformAdmin' },
    ],
  );
  const subjects = bindingSubjects(alice);

  it('takes the highest role among the principal, its email, its groups and *', () => {
    expect(subjects).toEqual(['alice', 'alice@example.com', 'group:ml', '*']);
    expect(snapshot.roleIn(subjects, 'a')).toBe('Editor');
    expect(snapshot.roleIn(subjects, 'b')).toBe('Admin');
    expect(snapshot.roleIn(subjects, 'c')).toBe('Viewer');
    expect(snapshot.roleIn(subjects, 'd')).toBeNull();
    expect(snapshot.workspacesWith(subjects, 'Viewer').sort()).toEqual(['a', 'b', 'c']);
    expect(snapshot.workspacesWith(subjects, 'Admin')).toEqual(['b']);
  });

  it('makes a PlatformAdmin everything everywhere', () => {
    expect(snapshot.isPlatformAdmin(['root', '*'])).toBe(true);
    expect(snapshot.isPlatformAdmin(subjects)).toBe(false);
    expect(snapshot.roleIn(['root'], 'anything')).toBe('PlatformAdmin');
  });
});

describe('FailureLimiter', () => {
  it('answers "wait" after the limit within a minute, per address, until the minute is over', () => {
    const limiter = new FailureLimiter(3);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('10.0.0.1', t0 + i)).toBe(0);
      limiter.fail('10.0.0.1', t0 + i);
    }
    expect(limiter.retryAfter('10.0.0.1', t0 + 10)).toBe(60);
    expect(limiter.retryAfter('10.0.0.2', t0 + 10)).toBe(0);
    expect(limiter.retryAfter('10.0.0.1', t0 + 59_500)).toBe(1);
    expect(limiter.retryAfter('10.0.0.1', t0 + 60_000)).toBe(0);
  });

  it('stays bounded', () => {
    const limiter = new FailureLimiter(1, 60_000, 100);
    for (let i = 0; i < 1000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`, 0);
    expect(limiter.retryAfter('10.0.3.231', 1)).toBe(60);
    expect(limiter.retryAfter('10.0.0.0', 1)).toBe(0);
  });
});
