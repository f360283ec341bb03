import { Injectable } from '@nestjs/common';
import { WORKSPACE_SORTABLE, WorkspaceRepository, type Page } from '#db';
import { AccessService, actorId } from '#auth';
import { InvalidFieldError, NotFoundError } from '#domain';
import { NAMED_FIELDS, listPage, toListQuery, type ListQueryDto } from '../common/list.js';
import type { CreateWorkspaceDto, UpdateWorkspaceDto, WorkspaceDto } from './workspace.dto.js';
import { presentWorkspace } from './workspace.presenter.js';

const FILTER = NAMED_FIELDS;

@Injectable()
export class WorkspaceService {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly access: AccessService,
  ) {}

  /** Its creator becomes its Admin, at once on this replica (others follow the notification). */
  async create(dto: CreateWorkspaceDto): Promise<WorkspaceDto> {
    const workspace = await this.workspaces.create({ ...dto, createdBy: actorId() });
    await this.access.reload();
    return presentWorkspace(workspace);
  }

  async list(dto: ListQueryDto): Promise<Page<WorkspaceDto>> {
    const query = toListQuery(dto, { filter: FILTER, sortable: WORKSPACE_SORTABLE, workspaceField: 'name' });
    const { rows, total } = await this.workspaces.list(query);
    return listPage(rows.map(presentWorkspace), total, query);
  }

  async get(name: string): Promise<WorkspaceDto> {
    const row = await this.workspaces.findByName(name);
    if (!row) throw new NotFoundError('workspace', name);
    return presentWorkspace(row);
  }

  async update(name: string, dto: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    if (dto.name !== undefined && dto.name !== name) {
      throw new InvalidFieldError(
        ['body', 'name'],
        `name must be the workspace's own ('${name}'): a workspace cannot be renamed`,
      );
    }
    return presentWorkspace(
      await this.workspaces.update(name, { description: dto.description ?? null, updatedBy: actorId() }),
    );
  }

  delete(name: string): Promise<void> {
    return this.workspaces.delete(name);
  }
}
