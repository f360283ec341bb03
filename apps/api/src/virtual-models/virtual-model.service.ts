import { Injectable } from '@nestjs/common';
import { actorId } from '#auth';
import {
  filterFields,
  jsonColumn,
  ModelRepository,
  VIRTUAL_MODEL_SORTABLE,
  VirtualModelRepository,
  type ExpectedVersion,
  type Page,
  type VirtualModel,
  type VirtualModelData,
  type VirtualModelTarget,
} from '#db';
import { InvalidFieldError, joinRef, splitRef, VirtualModelNameTakenError } from '#domain';
import { PHASES, validatePipeline, type MiddlewareCall, type Phase } from '#routing';
import { authorship, compact, iso } from '../common/present.js';
import { WorkspaceScope } from '../common/workspace-scope.js';
import type {
  CreateVirtualModelDto,
  UpdateVirtualModelDto,
  VirtualModelDto,
  VirtualModelListQueryDto,
} from './virtual-model.dto.js';

const FILTER = filterFields({
  name: 'string',
  project: 'string',
  default_model_entity: 'string',
  autoprovisioned: 'bool',
  created_at: 'datetime',
  updated_at: 'datetime',
});

const PIPELINE_COLUMNS = {
  request_middleware: 'requestMiddleware',
  response_middleware: 'responseMiddleware',
  post_response_middleware: 'postResponseMiddleware',
} as const satisfies Record<Phase, keyof VirtualModelData>;

/**
 * Virtual models: NeMo's routing policies, one per name in a workspace. Every reference and pipeline is
 * checked here on write (a 422 that names the field), so the gateway can trust what it reads. A virtual
 * model may not take a model entity's name; an entity created later under a virtual model's name is
 * shadowed by it, because the gateway resolves a virtual model before an entity of the same name.
 */
@Injectable()
export class VirtualModelService {
  constructor(
    private readonly virtualModels: VirtualModelRepository,
    private readonly models: ModelRepository,
    private readonly scope: WorkspaceScope,
  ) {}

  async create(workspace: string, dto: CreateVirtualModelDto): Promise<VirtualModelDto> {
    const data = toData(workspace, dto);
    if (await this.models.find(workspace, dto.name)) throw new VirtualModelNameTakenError(workspace, dto.name);
    const actor = actorId();
    const row = await this.virtualModels.create(workspace, dto.name, {
      project: dto.project ?? null,
      ...data,
      createdBy: actor,
      updatedBy: actor,
    });
    return present(row);
  }

  list(
    workspace: string,
    dto: VirtualModelListQueryDto,
    includeAutoprovisioned: boolean,
  ): Promise<Page<VirtualModelDto>> {
    return this.scope.page(
      workspace,
      dto,
      { filter: FILTER, sortable: VIRTUAL_MODEL_SORTABLE },
      (query) => {
        if (includeAutoprovisioned) return this.virtualModels.list(query);
        const own = { autoprovisioned: false };
        return this.virtualModels.list({ ...query, filter: query.filter ? { $and: [query.filter, own] } : own });
      },
      present,
    );
  }

  async get(workspace: string, name: string): Promise<VirtualModelDto> {
    const row = await this.virtualModels.find(workspace, name);
    return present(row ?? (await this.scope.notFound('virtual_model', workspace, name)));
  }

  async update(
    workspace: string,
    name: string,
    dto: UpdateVirtualModelDto,
    expected?: ExpectedVersion,
  ): Promise<VirtualModelDto> {
    const patch = { ...toData(workspace, dto), updatedBy: actorId() };
    const row = await this.virtualModels.update(workspace, name, patch, expected);
    return present(row ?? (await this.scope.notFound('virtual_model', workspace, name)));
  }

  async delete(workspace: string, name: string, expected?: ExpectedVersion): Promise<void> {
    if (!(await this.virtualModels.delete(workspace, name, expected))) {
      await this.scope.notFound('virtual_model', workspace, name);
    }
  }
}

/**
 * The columns of the fields present in `dto`, checked: on create every field is present or defaults; on
 * PATCH an absent field keeps its value and null clears it.
 */
function toData(workspace: string, dto: UpdateVirtualModelDto): Partial<VirtualModelData> {
  const data: Partial<VirtualModelData> = {};
  if (dto.default_model_entity !== undefined) {
    data.defaultModelEntity =
      dto.default_model_entity === null
        ? null
        : ownRef(dto.default_model_entity, workspace, ['body', 'default_model_entity']);
  }
  if (dto.models !== undefined) {
    const models: VirtualModelTarget[] = (dto.models ?? []).map((m, i) =>
      compact({
        model: ownRef(m.model, workspace, ['body', 'models', i, 'model']),
        backend_format: (m.backend_format ?? undefined) as VirtualModelTarget['backend_format'],
      }),
    );
    data.models = jsonColumn(models) as VirtualModelData['models'];
  }
  for (const phase of PHASES) {
    const entries = dto[phase];
    if (entries === undefined) continue;
    const checked: MiddlewareCall[] = entries === null ? [] : validatePipeline(phase, entries, workspace);
    data[PIPELINE_COLUMNS[phase]] = jsonColumn(checked) as VirtualModelData['requestMiddleware'];
  }
  if (dto.autoprovisioned !== undefined) data.autoprovisioned = dto.autoprovisioned ?? false;
  return data;
}

/** A model entity reference of the virtual model's own workspace, as `workspace/name` (NeMo's form). */
function ownRef(ref: string, workspace: string, loc: (string | number)[]): string {
  const { workspace: ws, name } = splitRef(ref, workspace);
  if (ws !== workspace) {
    throw new InvalidFieldError(
      loc,
      `'${ref}' is in another workspace; a virtual model routes to its own workspace's models`,
    );
  }
  return joinRef(ws, name);
}

/** The JSON columns hold what toData checked and wrote (nothing else writes them), so they are typed as such. */
function present(v: VirtualModel): VirtualModelDto {
  return compact({
    id: v.id,
    entity_id: v.id,
    name: v.name,
    workspace: v.workspace,
    project: v.project ?? undefined,
    default_model_entity: v.defaultModelEntity ?? undefined,
    models: v.models as unknown as VirtualModelDto['models'],
    request_middleware: v.requestMiddleware as unknown as VirtualModelDto['request_middleware'],
    response_middleware: v.responseMiddleware as unknown as VirtualModelDto['response_middleware'],
    post_response_middleware: v.postResponseMiddleware as unknown as VirtualModelDto['post_response_middleware'],
    autoprovisioned: v.autoprovisioned,
    db_version: v.dbVersion,
    created_at: iso(v.createdAt),
    updated_at: iso(v.updatedAt),
    ...authorship(v),
  });
}
