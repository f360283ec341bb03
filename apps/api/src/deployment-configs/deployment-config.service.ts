import { Inject, Injectable } from '@nestjs/common';
import { actorId } from '#auth';
import { ApiConfig } from '#config';
import {
  CONFIG_SORTABLE,
  DeploymentConfigRepository,
  ModelRepository,
  type ConfigVersionData,
  type DeploymentConfigVersion,
  type Page,
  filterFields,
} from '#db';
import { BadRequestError, InvalidFieldError, joinRef, parseEnvNameList } from '#domain';
import { overrideProblem } from '#runtime';
import { NAMED_FIELDS, type ListQueryDto } from '../common/list.js';
import { authorship, compact, iso } from '../common/present.js';
import { WorkspaceScope } from '../common/workspace-scope.js';
import { RuntimeGate } from '../common/runtime-gate.js';
import type {
  CreateDeploymentConfigDto,
  DeploymentConfigDto,
  ExecutorConfigDto,
  ModelSpecDto,
  UpdateDeploymentConfigDto,
} from './deployment-config.dto.js';
import { assertConfigEnv } from './config-env.js';

const FILTER = filterFields({
  ...NAMED_FIELDS,
  project: 'string',
  model_entity_id: 'string',
  engine: { column: 'engine', type: 'enum', values: ['nim', 'vllm', 'generic'] },
  entity_version: { column: 'version', type: 'int' },
  // Versions are immutable: updated_at is created_at.
  updated_at: { column: 'created_at', type: 'datetime' },
});

@Injectable()
export class DeploymentConfigService {
  /** Code-loading variables the operator allows all the same (CONFIG_ENV_ALLOW). */
  private readonly envAllowed: ReadonlySet<string>;

  constructor(
    private readonly configs: DeploymentConfigRepository,
    private readonly models: ModelRepository,
    private readonly scope: WorkspaceScope,
    private readonly gate: RuntimeGate,
    @Inject(ApiConfig) config: ApiConfig,
  ) {
    this.envAllowed = parseEnvNameList(config.CONFIG_ENV_ALLOW);
  }

  /** Version 1. Allowed without a runtime, like the reference. */
  async create(workspace: string, dto: CreateDeploymentConfigDto): Promise<DeploymentConfigDto> {
    const data = toData(dto, this.envAllowed);
    data.modelEntityId ??= await this.inferModelEntity(workspace, dto.model_spec);
    return present(await this.configs.create(workspace, dto.name, dto.project ?? null, data, actorId()));
  }

  async newVersion(workspace: string, name: string, dto: UpdateDeploymentConfigDto): Promise<DeploymentConfigDto> {
    this.gate.assertEnabled();
    const row = await this.configs
      .newVersion(workspace, name, toData(dto, this.envAllowed), actorId())
      .catch((e) => this.scope.rethrow(e, workspace));
    return present(row);
  }

  list(workspace: string, dto: ListQueryDto, allVersions: boolean): Promise<Page<DeploymentConfigDto>> {
    return this.scope.page(
      workspace,
      dto,
      { filter: FILTER, sortable: CONFIG_SORTABLE },
      (query) => this.configs.list(query, allVersions),
      present,
    );
  }

  async get(workspace: string, name: string, version?: number): Promise<DeploymentConfigDto> {
    const row =
      version === undefined
        ? await this.configs.findLatest(workspace, name)
        : await this.configs.findVersion(workspace, name, version);
    return present(row ?? (await this.scope.notFound('deployment_config', workspace, name, version)));
  }

  async versions(workspace: string, name: string): Promise<DeploymentConfigDto[]> {
    const rows = await this.configs.versions(workspace, name);
    if (rows.length === 0) await this.scope.notFound('deployment_config', workspace, name);
    return rows.map(present);
  }

  async delete(workspace: string, name: string, version?: number): Promise<void> {
    this.gate.assertEnabled();
    await this.configs.delete(workspace, name, version).catch((e) => this.scope.rethrow(e, workspace));
  }

  /**
   * On create only, an empty model_entity_id is filled in when model_spec
   * names an entity of this workspace (namespace = workspace).
   */
  private async inferModelEntity(workspace: string, spec: ModelSpecDto): Promise<string | null> {
    if (spec.model_namespace !== workspace || !spec.model_name) return null;
    const name = spec.model_name.split('@')[0];
    return (await this.models.find(workspace, name)) ? joinRef(workspace, name) : null;
  }
}

/** Validates engine rules and stores specs without nulls, with documented defaults filled in. */
function toData(dto: UpdateDeploymentConfigDto, envAllowed: ReadonlySet<string>): ConfigVersionData {
  const spec = compact({ ...dto.model_spec }) as ModelSpecDto;
  if (spec.tool_call_config) spec.tool_call_config = compact({ ...spec.tool_call_config });
  const exec = compact({ ...dto.executor_config }) as ExecutorConfigDto;
  if (exec.k8s_nim_operator_config) exec.k8s_nim_operator_config = compact({ ...exec.k8s_nim_operator_config });
  exec.disk_size ??= '50Gi';
  exec.additional_args ??= [];
  const problem = exec.override_config ? overrideProblem(exec.override_config) : null;
  if (problem) throw new InvalidFieldError(['body', 'executor_config', 'override_config'], problem);
  assertConfigEnv(exec, envAllowed);
  spec.lora_enabled ??= false;
  if (dto.engine === 'generic') {
    for (const field of ['image_name', 'health_check_path'] as const) {
      const value = exec[field];
      if (!value || value.trim() !== value) {
        throw new BadRequestError(
          'deployment_config/generic_engine',
          `executor_config.${field} is required for the generic engine and must be non-blank without surrounding spaces`,
        );
      }
    }
    if (spec.lora_enabled) {
      throw new BadRequestError(
        'deployment_config/generic_engine',
        'model_spec.lora_enabled is not supported by the generic engine',
      );
    }
  }
  return {
    description: dto.description ?? null,
    engine: dto.engine,
    modelEntityId: dto.model_entity_id ?? null,
    modelSpec: spec as object,
    executorConfig: exec as object,
  };
}

function present(c: DeploymentConfigVersion): DeploymentConfigDto {
  return compact({
    id: c.id,
    name: c.name,
    workspace: c.workspace,
    project: c.project ?? undefined,
    entity_version: c.version,
    description: c.description ?? undefined,
    engine: c.engine,
    model_entity_id: c.modelEntityId ?? undefined,
    model_spec: c.modelSpec as unknown as ModelSpecDto,
    executor_config: c.executorConfig as unknown as ExecutorConfigDto,
    created_at: iso(c.createdAt),
    updated_at: iso(c.createdAt),
    // Versions are immutable: whoever wrote this version is its creator and its last writer.
    ...authorship({ createdBy: c.createdBy, updatedBy: c.createdBy }),
  });
}
