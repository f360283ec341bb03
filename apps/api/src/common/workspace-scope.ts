import { Injectable } from '@nestjs/common';
import { WorkspaceRepository, type ListQuery, type Page } from '#db';
import { DomainError, NotFoundError, type ResourceKind } from '#domain';
import { ALL_WORKSPACES, listPage, toListQuery, type ListQueryDto, type ListSpec } from './list.js';

/** Errors that may only mean the workspace itself is missing. */
const MISSING_IN_WORKSPACE = new Set(['deployment/config_not_found']);

/**
 * What every workspace-scoped service does the same way: list pages, and
 * telling "no such workspace" apart from "no such resource in it". The
 * workspace is only checked after a miss, so the common path costs no extra
 * query.
 */
@Injectable()
export class WorkspaceScope {
  constructor(private readonly workspaces: WorkspaceRepository) {}

  async page<Row, Dto>(
    workspace: string,
    dto: ListQueryDto,
    spec: ListSpec,
    fetch: (query: ListQuery) => Promise<{ rows: Row[]; total: number }>,
    present: (row: Row) => Dto,
  ): Promise<Page<Dto>> {
    const query = toListQuery(dto, { ...spec, workspaceScoped: true }, workspace);
    const { rows, total } = await fetch(query);
    if (total === 0 && workspace !== ALL_WORKSPACES) await this.workspaces.assertExists(workspace);
    return listPage(rows.map(present), total, query);
  }

  /** Throws 404 for the workspace if it is missing, else for the resource. */
  async notFound(kind: ResourceKind, workspace: string, name: string, version?: number): Promise<never> {
    await this.workspaces.assertExists(workspace);
    const where = ` in workspace '${workspace}'`;
    throw new NotFoundError(kind, name, version === undefined ? where : ` version ${version}${where}`);
  }

  /** Re-throws `error`, as a missing workspace when that is the real cause. */
  async rethrow(error: unknown, workspace: string): Promise<never> {
    if (error instanceof NotFoundError || (error instanceof DomainError && MISSING_IN_WORKSPACE.has(error.code))) {
      await this.workspaces.assertExists(workspace);
    }
    throw error;
  }
}
