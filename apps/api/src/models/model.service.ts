import { Injectable } from '@nestjs/common';
import { actorId } from '#auth';
import { DEFAULT_CURRENCY, parseModelPricing } from '#domain';
import {
  jsonColumn,
  MODEL_SORTABLE,
  ModelRepository,
  type ModelData,
  type ModelWithAdapters,
  type Page,
  filterFields,
} from '#db';
import { presentAdapter } from '../adapters/adapter.presenter.js';
import { NAMED_FIELDS, type ListQueryDto } from '../common/list.js';
import { authorship, compact, iso } from '../common/present.js';
import { WorkspaceScope } from '../common/workspace-scope.js';
import type { ApiEndpointDto, CreateModelDto, ModelDto, PromptDto, UpdateModelDto } from './model.dto.js';

const FILTER = filterFields({
  ...NAMED_FIELDS,
  project: 'string',
  base_model: 'string',
  finetuning_type: 'string',
  fileset: 'string',
  backend_format: 'string',
  trust_remote_code: 'bool',
});

@Injectable()
export class ModelService {
  constructor(
    private readonly models: ModelRepository,
    private readonly scope: WorkspaceScope,
  ) {}

  async create(workspace: string, dto: CreateModelDto): Promise<ModelDto> {
    const actor = actorId();
    const data: ModelData = { project: dto.project ?? null, ...toData(dto), createdBy: actor, updatedBy: actor };
    // A new model has no adapters yet (they reference it).
    return present({ ...(await this.models.create(workspace, dto.name, data)), adapters: null });
  }

  list(workspace: string, dto: ListQueryDto): Promise<Page<ModelDto>> {
    return this.scope.page(
      workspace,
      dto,
      { filter: FILTER, sortable: MODEL_SORTABLE },
      (query) => this.models.list(query),
      present,
    );
  }

  async get(workspace: string, name: string): Promise<ModelDto> {
    return present((await this.models.find(workspace, name)) ?? (await this.scope.notFound('model', workspace, name)));
  }

  async update(workspace: string, name: string, dto: UpdateModelDto): Promise<ModelDto> {
    const row = await this.models.update(workspace, name, { ...toData(dto), updatedBy: actorId() });
    return present(row ?? (await this.scope.notFound('model', workspace, name)));
  }

  async delete(workspace: string, name: string): Promise<void> {
    if (!(await this.models.delete(workspace, name))) await this.scope.notFound('model', workspace, name);
  }
}

/** Only the fields that carry a value: null and omitted both keep the stored value on PATCH. */
function toData(dto: UpdateModelDto): Partial<ModelData> {
  const data: Partial<ModelData> = {};
  const set = <K extends keyof ModelData>(key: K, value: ModelData[K] | null | undefined) => {
    if (value !== null && value !== undefined) data[key] = value;
  };
  set('description', dto.description);
  set('spec', dto.spec ? jsonColumn(dto.spec) : undefined);
  set('finetuningType', dto.finetuning_type);
  set('fileset', dto.fileset);
  set('trustRemoteCode', dto.trust_remote_code);
  set('baseModel', dto.base_model);
  set('apiEndpoint', dto.api_endpoint ? jsonColumn(compact({ ...dto.api_endpoint })) : undefined);
  set('backendFormat', dto.backend_format);
  set('prompt', dto.prompt ? jsonColumn(compact({ ...dto.prompt })) : undefined);
  set('customFields', (dto.custom_fields ?? undefined) as ModelData['customFields']);
  set('ownership', dto.ownership ? jsonColumn(dto.ownership) : undefined);
  set('modelProviders', dto.model_providers);
  set(
    'pricing',
    dto.pricing ? jsonColumn({ ...dto.pricing, currency: dto.pricing.currency ?? DEFAULT_CURRENCY }) : undefined,
  );
  return data;
}

function present(m: ModelWithAdapters): ModelDto {
  return compact({
    id: m.id,
    name: m.name,
    workspace: m.workspace,
    project: m.project ?? undefined,
    description: m.description ?? undefined,
    spec: (m.spec as Record<string, unknown> | null) ?? undefined,
    finetuning_type: m.finetuningType ?? undefined,
    fileset: m.fileset ?? undefined,
    trust_remote_code: m.trustRemoteCode,
    base_model: m.baseModel ?? undefined,
    api_endpoint: (m.apiEndpoint as ApiEndpointDto | null) ?? undefined,
    backend_format: m.backendFormat ?? undefined,
    // From the adapters table (read-only here; see ModelDto.adapters).
    adapters: m.adapters?.map(presentAdapter),
    prompt: (m.prompt as PromptDto | null) ?? undefined,
    custom_fields: (m.customFields as Record<string, unknown>) ?? {},
    ownership: (m.ownership as Record<string, unknown> | null) ?? undefined,
    model_providers: m.modelProviders,
    pricing: parseModelPricing(m.pricing) ?? undefined,
    created_at: iso(m.createdAt),
    updated_at: iso(m.updatedAt),
    ...authorship(m),
  });
}
