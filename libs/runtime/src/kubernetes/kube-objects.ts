/**
 * What the Kubernetes runtime needs to address its objects on the API
 * server: their header, kind and name (which one an instance keeps, and
 * whose a name is before applying to it), the server's errors, and one
 * connection pool.
 */
import type { KubeConfig, KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { DomainError, KubernetesObjectConflictError } from '#domain';
import { describe } from './cluster-cache.js';
import type { InstanceObjects } from './instance-status.js';
import { ANNOTATIONS, LABELS } from './nim.compiler.js';

/**
 * The name an instance's live objects have, if any. The runtime keeps it:
 * objects made under an earlier naming scheme are adopted (a Deployment's
 * selector cannot change, and a second copy would need the GPUs twice);
 * only instances with no object get names of the current scheme. Object
 * names cannot change, unlike labels, so they come first.
 */
export function recordedName(objects: InstanceObjects): string | undefined {
  const claim = objects.persistentVolumeClaim?.metadata?.name;
  return (
    objects.deployment?.metadata?.name ??
    objects.service?.metadata?.name ??
    (claim?.endsWith('-cache') ? claim.slice(0, -'-cache'.length) : undefined) ??
    objects.pods.find((pod) => pod.metadata?.labels?.[LABELS.instance])?.metadata?.labels?.[LABELS.instance]
  );
}

/**
 * Refuses to apply `object` where an object of its kind and name exists
 * that is not this instance's: another version's (whatever its workspace),
 * or one Modelplane did not make. A forced apply would take it over. Read
 * from the API server, not the cache: the cache holds only labelled objects.
 */
export async function assertOwnName(
  api: KubernetesObjectApi,
  namespace: string,
  instanceId: string,
  object: KubernetesObject,
  warn: (message: string) => void,
): Promise<void> {
  const name = object.metadata?.name ?? '';
  let existing: KubernetesObject;
  try {
    existing = await api.read(header(object, namespace));
  } catch (error) {
    if (statusOf(error) === 404) return;
    throw apiError(`read ${kindName(object)} ${name}`, error);
  }
  const owner = existing.metadata?.annotations?.[ANNOTATIONS.instanceId];
  if (owner === instanceId) return;
  warn(
    `${instanceId}: ${kindName(object)} ${name} exists and belongs to ${owner ? `instance ${owner}` : 'no Modelplane instance'}; not applying over it`,
  );
  throw new KubernetesObjectConflictError(kindName(object), name, namespace, owner ? 'instance' : 'foreign');
}

/**
 * client-node 1.4.0 builds a new `https.Agent` for every request
 * (kubernetes-client/javascript#2893): each call pays a TCP and TLS
 * handshake on both sides, and every watch restart leaves an agent behind.
 * One keep-alive agent per KubeConfig instead (its TLS options do not change;
 * credentials travel in headers). Measured with `npm run bench:kubernetes`.
 */
export function reuseConnections(kubeConfig: KubeConfig): void {
  type CreateAgent = (cluster: unknown, options: Record<string, unknown>) => unknown;
  const target = kubeConfig as unknown as { createAgent: CreateAgent; [REUSED]?: true };
  if (target[REUSED]) return;
  const create = target.createAgent.bind(kubeConfig);
  let agent: unknown;
  target.createAgent = (cluster, options) => (agent ??= create(cluster, { ...options, keepAlive: true }));
  target[REUSED] = true;
}
const REUSED = Symbol('modelplane.reuseConnections');

/**
 * True when every field `desired` sets has that value in `live` (which also
 * holds the server's defaults and other managers' fields). Lists are
 * compared item by item; an empty list or object matches an absent one.
 */
export function contains(live: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    if (desired.length === 0) return live === undefined || live === null || (Array.isArray(live) && live.length === 0);
    return Array.isArray(live) && live.length === desired.length && desired.every((d, i) => contains(live[i], d));
  }
  if (desired && typeof desired === 'object') {
    const entries = Object.entries(desired as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return true;
    if (!live || typeof live !== 'object') return false;
    return entries.every(([key, value]) => contains((live as Record<string, unknown>)[key], value));
  }
  if (typeof desired === 'number' || typeof live === 'number') return String(live) === String(desired);
  return live === desired;
}

export function header(
  object: KubernetesObject,
  namespace: string,
): { apiVersion: string; kind: string; metadata: { name: string; namespace: string } } {
  return {
    apiVersion: object.apiVersion ?? kindApiVersion(object),
    kind: object.kind ?? kindName(object),
    metadata: { name: object.metadata?.name ?? '', namespace },
  };
}

/** Objects from typed lists carry no apiVersion/kind; from watches they do. */
export function kindName(object: KubernetesObject): string {
  if (object.kind) return object.kind;
  const spec = (object as { spec?: Record<string, unknown> }).spec ?? {};
  if ('template' in spec) return 'Deployment';
  if ('accessModes' in spec) return 'PersistentVolumeClaim';
  return 'Service';
}

function kindApiVersion(object: KubernetesObject): string {
  return kindName(object) === 'Deployment' ? 'apps/v1' : 'v1';
}

export function statusOf(error: unknown): number | undefined {
  const e = error as { code?: number; statusCode?: number };
  return e?.code ?? e?.statusCode;
}

/** A refusal of the object itself (400, 422) is for good: a DomainError the reconciler fails the version on. */
export function apiError(action: string, error: unknown): Error {
  const status = statusOf(error);
  if (status === 400 || status === 422) {
    return new DomainError(
      'invalid',
      'runtime/rejected',
      `Kubernetes refused to ${action}: ${describe(error)} (check the config's k8s_nim_operator_config and override_config)`,
    );
  }
  const hint = status === 403 ? " (the worker's ServiceAccount lacks the permission: see k8s/base/rbac.yaml)" : '';
  return new Error(`Kubernetes: cannot ${action}: ${describe(error)}${hint}`);
}
