import { roleRank, type Role, type Scope, type WorkspaceRole } from './permissions.js';

/** An API key as every authenticating process holds it in memory. */
export interface KeyEntry {
  id: string;
  prefix: string;
  hash: Buffer;
  principal: string;
  workspace: string | null;
  scopes: Scope[];
  /** Epoch ms; null: never. */
  expiresAt: number | null;
  revoked: boolean;
}

export interface BindingEntry {
  workspace: string | null;
  principal: string;
  role: Role;
}

/**
 * Keys and role bindings, loaded whole (see AccessService) so a request is authenticated and authorized
 * from memory: a map lookup for the key, a few for the roles.
 */
export class AccessSnapshot {
  private readonly keys = new Map<string, KeyEntry>();
  /** workspace → subject → highest role; platform-wide bindings under null. */
  private readonly roles = new Map<string | null, Map<string, Role>>();

  constructor(keys: readonly KeyEntry[], bindings: readonly BindingEntry[]) {
    for (const key of keys) this.keys.set(key.prefix, key);
    for (const b of bindings) {
      let bySubject = this.roles.get(b.workspace);
      if (!bySubject) this.roles.set(b.workspace, (bySubject = new Map()));
      const held = bySubject.get(b.principal);
      if (!held || roleRank(b.role) > roleRank(held)) bySubject.set(b.principal, b.role);
    }
  }

  static readonly EMPTY = new AccessSnapshot([], []);

  key(prefix: string): KeyEntry | undefined {
    return this.keys.get(prefix);
  }

  isPlatformAdmin(subjects: readonly string[]): boolean {
    const platform = this.roles.get(null);
    return platform !== undefined && subjects.some((s) => platform.get(s) === 'PlatformAdmin');
  }

  /** The highest role any of `subjects` holds in `workspace` (PlatformAdmin wins everywhere). */
  roleIn(subjects: readonly string[], workspace: string): Role | null {
    if (this.isPlatformAdmin(subjects)) return 'PlatformAdmin';
    const bySubject = this.roles.get(workspace);
    if (!bySubject) return null;
    let best: Role | null = null;
    for (const s of subjects) {
      const role = bySubject.get(s);
      if (role && (best === null || roleRank(role) > roleRank(best))) best = role;
    }
    return best;
  }

  /** Workspaces in which `subjects` hold at least `least`. */
  workspacesWith(subjects: readonly string[], least: WorkspaceRole): string[] {
    const out: string[] = [];
    for (const [workspace, bySubject] of this.roles) {
      if (workspace === null) continue;
      if (
        subjects.some((s) => {
          const role = bySubject.get(s);
          return role !== undefined && roleRank(role) >= roleRank(least);
        })
      )
        out.push(workspace);
    }
    return out;
  }
}
