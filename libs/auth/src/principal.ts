import type { Scope } from './permissions.js';

/**
 * Principals as written in role bindings, members and API keys:
 *   `service-account:NAME`  a service account (what a CI pipeline uses), created on first use;
 *   `group:NAME`            everyone whose OIDC token lists NAME in its groups claim (bindings only);
 *   `*`                     every authenticated principal (bindings only);
 *   anything else           a user: an OIDC `sub` or email, or a name an admin chose for an API key.
 */
export const SERVICE_ACCOUNT_PREFIX = 'service-account:';
export const GROUP_PREFIX = 'group:';
export const EVERYONE = '*';

const SERVICE_ACCOUNT_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,62})$/;
const PRINTABLE = /^[\x21-\x7e]{1,255}$/;

export type PrincipalKind = 'user' | 'service_account';

/** Who made a request, as the guard found it. */
export interface Principal {
  /** The id role bindings name (see above); `anonymous` when authentication is off. */
  id: string;
  kind: PrincipalKind;
  email: string | null;
  groups: readonly string[];
  /** How it proved who it is. */
  via: 'api_key' | 'oidc' | 'anonymous';
  keyId: string | null;
  /** An API key restricted to one workspace. */
  keyWorkspace: string | null;
  /** An API key's scopes; null: not narrowed (OIDC tokens, authentication off). */
  scopes: readonly Scope[] | null;
}

/** The principal of every request when AUTH_ENABLED=false: a PlatformAdmin (see AccessService). */
export const ANONYMOUS: Principal = Object.freeze({
  id: 'anonymous',
  kind: 'user',
  email: null,
  groups: [],
  via: 'anonymous',
  keyId: null,
  keyWorkspace: null,
  scopes: null,
});

export function principalKind(id: string): PrincipalKind {
  return id.startsWith(SERVICE_ACCOUNT_PREFIX) ? 'service_account' : 'user';
}

/**
 * What is wrong with `id` as the principal of a key (`bindable`: false) or of a role binding or member
 * (`bindable`: true, where groups and `*` are allowed too); null when nothing is.
 */
export function principalProblem(id: string, bindable: boolean): string | null {
  if (id === EVERYONE) return bindable ? null : "'*' can be granted roles but cannot hold an API key";
  if (!PRINTABLE.test(id)) return 'must be 1-255 printable ASCII characters without spaces';
  if (id.startsWith(GROUP_PREFIX)) {
    if (!bindable) return 'a group can be granted roles but cannot hold an API key';
    return id.length > GROUP_PREFIX.length ? null : 'names no group after "group:"';
  }
  if (id.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    return SERVICE_ACCOUNT_NAME.test(id.slice(SERVICE_ACCOUNT_PREFIX.length))
      ? null
      : 'must be service-account:NAME with NAME of 1-63 lowercase letters, digits, ".", "_" or "-"';
  }
  return null;
}

/** The subjects a role binding may name to reach this principal, most specific first. */
export function bindingSubjects(principal: Principal): string[] {
  const subjects = [principal.id];
  if (principal.email && principal.email !== principal.id) subjects.push(principal.email);
  for (const group of principal.groups) subjects.push(`${GROUP_PREFIX}${group}`);
  subjects.push(EVERYONE);
  return subjects;
}
