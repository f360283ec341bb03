import { Injectable } from '@nestjs/common';
import { AccessService, actorId, currentAccess } from '#auth';
import {
  ADAPTER_SORTABLE,
  AdapterRepository,
  filterFields,
  jsonColumn,
  ModelRepository,
  WorkspaceRepository,
  type AdapterPatch,
  type ModelRef,
  type Page,
} from '#db';
import { FINETUNING_TYPES, joinRef, NotFoundError, splitRef } from '#domain';
import { NAMED_FIELDS, type ListQueryDto } from '../common/list.js';
import { compact } from '../common/present.js';
import { WorkspaceScope } from '../common/workspace-scope.js';
import type { AdapterDto, CreateModelAdapterDto, UpdateAdapterDto } from './adapter.dto.js';
import { presentAdapter } from './adapter.presenter.js';

/** NeMo's adapter filter fields; `model` is the base as `workspace/name`. */
const FILTER = filterFields({
  ...NAMED_FIELDS,
  model: { column: "(model_workspace || '/' || model_name)", type: 'string' },
  fileset: 'string',
  finetuning_type: { column: 'finetuning_type', type: 'enum', values: FINETUNING_TYPES },
  enabled: 'bool',
});

/**
 * Adapters of model entities, by either of NeMo's route families: `…/models/{model}/adapters[/{name}]`
 * (the base in the path, in the path's workspace) and `…/adapters[/{name}]` (the base named in the body on
 * create, `name` or `workspace/name`). An adapter is named uniquely in its workspace; its base may live in
 * another workspace, which the caller must be able to read.
 */
@Injectable()
export class AdapterService {
  constructor(
    private readonly adapters: AdapterRepository,
    private readonly models: ModelRepository,
    private readonly workspaces: WorkspaceRepository,
    private readonly scope: WorkspaceScope,
    private readonly access: AccessService,
  ) {}

  /** `model` is the path's model name (…/models/{model}/adapters) or the body's `name` / `workspace/name`. */
  async create(workspace: string, model: string, dto: CreateModelAdapterDto): Promise<AdapterDto> {
    const base = splitRef(model, workspace);
    await this.assertModel(workspace, base);
    const actor = actorId();
    const row = await this.adapters.create(workspace, dto.name, base, {
      description: dto.description ?? null,
      fileset: dto.fileset,
      finetuningType: dto.finetuning_type,
      enabled: dto.enabled ?? true,
      loraConfig: jsonColumn(dto.lora_config ? compact({ ...dto.lora_config }) : null),
      createdBy: actor,
      updatedBy: actor,
    });
    return presentAdapter(row);
  }

  /** The workspace's adapters; with `model`, only that model's (404 for an unknown model). */
  async list(workspace: string, dto: ListQueryDto, model?: string): Promise<Page<AdapterDto>> {
    if (model !== undefined) await this.assertModel(workspace, { workspace, name: model });
    return this.scope.page(
      workspace,
      dto,
      { filter: FILTER, sortable: ADAPTER_SORTABLE },
      (query) => {
        if (model !== undefined) {
          const own = { model: joinRef(workspace, model) };
          query.filter = query.filter ? { $and: [query.filter, own] } : own;
        }
        return this.adapters.list(query);
      },
      presentAdapter,
    );
  }

  async get(workspace: string, name: string): Promise<AdapterDto> {
    const row = await this.adapters.find(workspace, name);
    return presentAdapter(row ?? (await this.scope.notFound('adapter', workspace, name)));
  }

  /** PATCH: omitted and null fields keep their value. With `model`, the adapter must be that model's. */
  async update(workspace: string, name: string, dto: UpdateAdapterDto, model?: string): Promise<AdapterDto> {
    const base = model === undefined ? undefined : { workspace, name: model };
    if (base) await this.assertModel(workspace, base);
    const patch: AdapterPatch = { updatedBy: actorId() };
    if (dto.description !== null && dto.description !== undefined) patch.description = dto.description;
    if (dto.fileset !== null && dto.fileset !== undefined) patch.fileset = dto.fileset;
    if (dto.enabled !== null && dto.enabled !== undefined) patch.enabled = dto.enabled;
    const row = await this.adapters.update(workspace, name, patch, base);
    return presentAdapter(row ?? (await this.notFound(workspace, name, base)));
  }

  async delete(workspace: string, name: string, model?: string): Promise<void> {
    const base = model === undefined ? undefined : { workspace, name: model };
    if (base) await this.assertModel(workspace, base);
    if (!(await this.adapters.delete(workspace, name, base))) await this.notFound(workspace, name, base);
  }

  /**
   * 404 unless the workspace and the base model exist; a base in another workspace needs models.read there
   * (403 first, so the answer never says whether a model the caller cannot read exists).
   */
  private async assertModel(workspace: string, base: ModelRef): Promise<void> {
    if (base.workspace !== workspace) {
      const principal = currentAccess()?.principal;
      if (principal) this.access.authorize(principal, 'models.read', base.workspace);
      await this.workspaces.assertExists(workspace);
      if (!(await this.models.find(base.workspace, base.name))) {
        throw new NotFoundError('model', joinRef(base.workspace, base.name));
      }
      return;
    }
    if (!(await this.models.find(base.workspace, base.name))) await this.scope.notFound('model', workspace, base.name);
  }

  private async notFound(workspace: string, name: string, base?: ModelRef): Promise<never> {
    if (!base) return this.scope.notFound('adapter', workspace, name);
    throw new NotFoundError('adapter', name, ` of model '${joinRef(base.workspace, base.name)}'`);
  }
}
