import type { Workspace } from '#db';
import { compact, iso } from '../common/present.js';
import type { WorkspaceDto } from './workspace.dto.js';

export function presentWorkspace(w: Workspace): WorkspaceDto {
  return compact({
    id: w.id,
    name: w.name,
    description: w.description ?? undefined,
    created_at: iso(w.createdAt),
    updated_at: iso(w.updatedAt),
    created_by: w.createdBy ?? undefined,
    updated_by: w.updatedBy ?? undefined,
  });
}
