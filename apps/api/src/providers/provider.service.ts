import { Inject, Injectable } from '@nestjs/common';
import { actorAuthContext, actorId } from '#auth';
import { ApiConfig } from '#config';
import {
  jsonColumn,
  PROVIDER_SORTABLE,
  ProviderRepository,
  type ModelProvider,
  type Page,
  type ProviderData,
  type ProviderStatusPatch,
  filterFields,
} from '#db';
import { EGRESS_REFUSED, InvalidFieldError } from '#domain';
import { EgressPolicy, providerUrlProblem } from '#egress';
import { NAMED_FIELDS, type ListQueryDto } from '../common/list.js';
import { authorship, compact, iso } from '../common/present.js';
import { WorkspaceScope } from '../common/workspace-scope.js';
import {
  PROVIDER_STATUSES,
  type CreateProviderDto,
  type ProviderDto,
  type ProviderStatus,
  type ProviderStatusDto,
  type ServedModelDto,
  type UpsertProviderDto,
} from './provider.dto.js';

const FILTER = filterFields({
  ...NAMED_FIELDS,
  project: 'string',
  status: { column: 'status', type: 'enum', values: PROVIDER_STATUSES },
  model_deployment_id: 'string',
  host_url: 'string',
});

/** How long a host name written into host_url may take to resolve before it is accepted unresolved. */
const RESOLVE_TIMEOUT_MS = 2_000;

@Injectable()
export class ProviderService {
  private readonly egress: EgressPolicy;

  constructor(
    private readonly providers: ProviderRepository,
    private readonly scope: WorkspaceScope,
    @Inject(ApiConfig) config: ApiConfig,
  ) {
    this.egress = EgressPolicy.fromAllowList(config.PROVIDER_EGRESS_ALLOW);
  }

  async create(workspace: string, dto: CreateProviderDto): Promise<ProviderDto> {
    await this.checkEgress(dto.host_url);
    return present(await this.providers.create(workspace, dto.name, toData(dto), actorId()));
  }

  /** Full replacement (or creation) of a provider. */
  async upsert(workspace: string, name: string, dto: UpsertProviderDto): Promise<ProviderDto> {
    // A deployment's provider may be rewritten keeping the endpoint the control plane gave it.
    const current = await this.providers.find(workspace, name);
    if (!(current?.modelDeploymentId && current.hostUrl === dto.host_url)) await this.checkEgress(dto.host_url);
    const { row } = await this.providers.upsert(workspace, name, toData(dto), actorId());
    return present(row);
  }

  /** Every provider written through the API is checked: the control plane writes its own elsewhere. */
  private async checkEgress(hostUrl: string): Promise<void> {
    const problem = await providerUrlProblem(this.egress, hostUrl, { timeoutMs: RESOLVE_TIMEOUT_MS });
    if (problem !== null) throw new InvalidFieldError(['body', 'host_url'], `host_url: ${problem}`, EGRESS_REFUSED);
  }

  list(workspace: string, dto: ListQueryDto): Promise<Page<ProviderDto>> {
    return this.scope.page(
      workspace,
      dto,
      { filter: FILTER, sortable: PROVIDER_SORTABLE },
      (query) => this.providers.list(query),
      present,
    );
  }

  async get(workspace: string, name: string): Promise<ProviderDto> {
    return present(
      (await this.providers.find(workspace, name)) ?? (await this.scope.notFound('provider', workspace, name)),
    );
  }

  /** Partial status update; a status without a message clears the message. */
  async setStatus(workspace: string, name: string, dto: ProviderStatusDto): Promise<ProviderDto> {
    const patch: ProviderStatusPatch = { updatedBy: actorId() };
    if (dto.model_deployment_id !== undefined) patch.modelDeploymentId = dto.model_deployment_id;
    if (dto.served_models !== undefined && dto.served_models !== null)
      patch.servedModels = servedModels(dto.served_models);
    if (dto.status !== undefined && dto.status !== null) {
      patch.status = dto.status;
      patch.statusMessage = dto.status_message ?? '';
    } else if (dto.status_message !== undefined && dto.status_message !== null) {
      patch.statusMessage = dto.status_message;
    }
    const row = await this.providers.updateStatus(workspace, name, patch);
    return present(row ?? (await this.scope.notFound('provider', workspace, name)));
  }

  async delete(workspace: string, name: string): Promise<void> {
    if (!(await this.providers.delete(workspace, name))) await this.scope.notFound('provider', workspace, name);
  }
}

function servedModels(list: ServedModelDto[]) {
  return list.map((m) => ({ model_entity_id: m.model_entity_id, served_model_name: m.served_model_name }));
}

function toData(dto: UpsertProviderDto): ProviderData {
  return {
    project: dto.project ?? null,
    description: dto.description ?? null,
    hostUrl: dto.host_url,
    apiKeySecretName: dto.api_key_secret_name ?? null,
    servedModels: servedModels(dto.served_models ?? []),
    enabledModels: jsonColumn(dto.enabled_models),
    status: dto.status ?? 'UNKNOWN',
    statusMessage: dto.status_message ?? '',
    defaultExtraBody: jsonColumn(dto.default_extra_body),
    defaultExtraHeaders: jsonColumn(dto.default_extra_headers),
    requiredExtraBody: jsonColumn(dto.required_extra_body),
    requiredExtraHeaders: jsonColumn(dto.required_extra_headers),
    modelDeploymentId: dto.model_deployment_id ?? null,
    // Who wrote it, as NeMo records it: set here from the caller, never taken from the body (it would be forged).
    authContext: actorAuthContext(),
    authHeaderFormat: dto.auth_header_format ?? null,
  };
}

function present(p: ModelProvider): ProviderDto {
  return compact({
    id: p.id,
    name: p.name,
    workspace: p.workspace,
    project: p.project ?? undefined,
    description: p.description ?? undefined,
    host_url: p.hostUrl,
    api_key_secret_name: p.apiKeySecretName ?? undefined,
    served_models: p.servedModels as unknown as ServedModelDto[],
    enabled_models: (p.enabledModels as string[] | null) ?? undefined,
    status: p.status as ProviderStatus,
    status_message: p.statusMessage,
    default_extra_body: (p.defaultExtraBody as Record<string, unknown> | null) ?? undefined,
    default_extra_headers: (p.defaultExtraHeaders as Record<string, string> | null) ?? undefined,
    required_extra_body: (p.requiredExtraBody as Record<string, unknown> | null) ?? undefined,
    required_extra_headers: (p.requiredExtraHeaders as Record<string, string> | null) ?? undefined,
    model_deployment_id: p.modelDeploymentId ?? undefined,
    auth_context: (p.authContext as Record<string, unknown> | null) ?? undefined,
    auth_header_format: p.authHeaderFormat ?? undefined,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
    ...authorship(p),
  });
}
