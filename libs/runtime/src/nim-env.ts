import { createHash } from 'node:crypto';
import { instanceIdOf, type InstanceSpec, type KubernetesPlacement } from './runtime.js';

/** What a config version says about the server (the stored JSON, snake_case as on the wire). */
export interface ConfigVersionSpec {
  engine: 'nim' | 'vllm' | 'generic';
  modelEntityId: string | null;
  modelSpec: {
    model_namespace?: string;
    model_name?: string;
    model_revision?: string;
    chat_template?: string;
    tool_call_config?: ToolCallConfig;
    lora_enabled?: boolean;
  };
  executorConfig: {
    gpu: number;
    image_name?: string;
    image_tag?: string;
    health_check_path?: string;
    additional_envs?: Record<string, string>;
    additional_args?: string[];
    disk_size?: string | null;
    run_as_user?: number | null;
    run_as_group?: number | null;
    override_config?: Record<string, unknown> | null;
    k8s_nim_operator_config?: {
      replicas?: number | null;
      resources?: Record<string, unknown> | null;
      node_selector?: Record<string, string> | null;
      tolerations?: Record<string, unknown>[] | null;
      affinity?: Record<string, unknown> | null;
      shm_size?: string | null;
      image_pull_secrets?: string[] | null;
      storage_class?: string | null;
      startup_probe_grace_seconds?: number | null;
    } | null;
  };
}

export interface ToolCallConfig {
  tool_call_parser?: string;
  tool_call_plugin?: string;
  auto_tool_choice?: boolean;
}

/** The model entity's spec, where chat template and tool calling may also be set (the config wins). */
export interface EntitySpec {
  chat_template?: string;
  tool_call_config?: ToolCallConfig;
  trust_remote_code?: boolean;
}

export const DEFAULT_NIM_IMAGE = 'nvcr.io/nim/meta/llama-3.1-8b-instruct';
export const DEFAULT_NIM_TAG = '1.8.5';
export const LORA_SOURCE = '/scratch/loras';

const READINESS: Record<ConfigVersionSpec['engine'], string> = {
  nim: '/v1/health/ready',
  vllm: '/health',
  generic: '',
};
const LIVENESS: Record<ConfigVersionSpec['engine'], string> = { nim: '/v1/health/live', vllm: '/health', generic: '' };

/** `namespace/name[@revision]`, the id the server serves the model under. */
export function servedModelName(spec: ConfigVersionSpec['modelSpec']): string | undefined {
  if (!spec.model_name) return undefined;
  const base = spec.model_namespace ? `${spec.model_namespace}/${spec.model_name}` : spec.model_name;
  return spec.model_revision && !base.includes('@') ? `${base}@${spec.model_revision}` : base;
}

/**
 * The server's environment, later entries overriding earlier ones (the
 * reference's precedence): additional envs; the served model name; the model
 * entity; chat template and tool calling (entity spec, then the config's);
 * LoRA.
 */
export function compileNimEnv(config: ConfigVersionSpec, entity?: EntitySpec): Record<string, string> {
  const env: Record<string, string> = { ...(config.executorConfig.additional_envs ?? {}) };
  const served = servedModelName(config.modelSpec);
  if (served) env.NIM_SERVED_MODEL_NAME = served;
  if (config.modelEntityId) {
    const [workspace, ...rest] = config.modelEntityId.split('/');
    env.NMP_MODEL_ENTITY_WORKSPACE = workspace;
    env.NMP_MODEL_ENTITY_NAME = rest.join('/');
  }
  if (entity?.trust_remote_code) {
    env.NIM_FORCE_TRUST_REMOTE_CODE = '1';
    env.NIM_TRUST_CUSTOM_CODE = '1';
  }
  for (const source of [entity, config.modelSpec]) {
    if (!source) continue;
    if (source.chat_template) env.NIM_CHAT_TEMPLATE = source.chat_template;
    const tools = source.tool_call_config;
    if (tools?.tool_call_parser) env.NIM_TOOL_CALL_PARSER = tools.tool_call_parser;
    if (tools?.tool_call_plugin) env.NIM_TOOL_PARSER_PLUGIN = tools.tool_call_plugin;
    if (tools?.auto_tool_choice !== undefined) env.NIM_ENABLE_AUTO_TOOL_CHOICE = tools.auto_tool_choice ? '1' : '0';
  }
  if (config.modelSpec.lora_enabled) {
    env.NIM_PEFT_SOURCE = LORA_SOURCE;
    env.NIM_PEFT_REFRESH_INTERVAL = '30';
  }
  return env;
}

/** The instance a deployment version asks for. */
export function compileInstanceSpec(
  target: { workspace: string; deployment: string; version: number },
  config: ConfigVersionSpec,
  entity?: EntitySpec,
): InstanceSpec {
  const exec = config.executorConfig;
  const image =
    config.engine === 'nim'
      ? `${exec.image_name ?? DEFAULT_NIM_IMAGE}:${exec.image_tag ?? DEFAULT_NIM_TAG}`
      : exec.image_name
        ? `${exec.image_name}${exec.image_tag ? `:${exec.image_tag}` : ''}`
        : null;
  const health = exec.health_check_path;
  const shape = {
    engine: config.engine,
    image,
    gpu: exec.gpu,
    env: compileNimEnv(config, entity),
    args: exec.additional_args ?? [],
    readinessPath: health || READINESS[config.engine] || '/health',
    livenessPath: health || LIVENESS[config.engine] || '/health',
  };
  return {
    instanceId: instanceIdOf(target.workspace, target.deployment, target.version),
    workspace: target.workspace,
    deployment: target.deployment,
    version: target.version,
    ...shape,
    ...kubernetesPlacement(exec),
    specHash: createHash('sha256').update(stableJson(shape)).digest('hex').slice(0, 16),
  };
}

/**
 * The config's Kubernetes settings (nothing when it sets none). Not part of
 * the spec hash: a version's placement never changes (config versions are
 * immutable), and the local runtime, which replaces an instance whose hash
 * changes, does not use it.
 */
function kubernetesPlacement(exec: ConfigVersionSpec['executorConfig']): { kubernetes?: KubernetesPlacement } {
  const op = exec.k8s_nim_operator_config ?? {};
  const placement: KubernetesPlacement = {
    replicas: op.replicas ?? undefined,
    resources: op.resources ?? undefined,
    nodeSelector: op.node_selector ?? undefined,
    tolerations: op.tolerations ?? undefined,
    affinity: op.affinity ?? undefined,
    shmSize: op.shm_size ?? undefined,
    imagePullSecrets: op.image_pull_secrets ?? undefined,
    diskSize: exec.disk_size ?? undefined,
    storageClass: op.storage_class ?? undefined,
    startupGraceSeconds: op.startup_probe_grace_seconds ?? undefined,
    runAsUser: exec.run_as_user ?? undefined,
    runAsGroup: exec.run_as_group ?? undefined,
    override: exec.override_config ?? undefined,
  };
  const set = Object.fromEntries(Object.entries(placement).filter(([, v]) => v !== undefined)) as KubernetesPlacement;
  return Object.keys(set).length > 0 ? { kubernetes: set } : {};
}

/** JSON with sorted keys, so equal specs hash equally. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
