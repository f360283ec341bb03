/**
 * An instance spec as the Kubernetes runtime applies it: checked, compiled
 * under the instance's name, and recorded on its Deployment so a restarted
 * worker can restore what was changed behind its back.
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { DomainError } from '#domain';
import type { InstanceSpec } from '../runtime.js';
import type { ResolvedKubernetesOptions } from './kubernetes-runtime.options.js';
import { ANNOTATIONS, compileNimWorkload, OverrideError, type NimWorkload } from './nim.compiler.js';

/** The spec a Deployment was compiled from. */
export const SPEC_ANNOTATION = 'modelplane.io/instance-spec';

/** `name`: the instance's objects' name when they exist (see recordedName); else the current scheme's. */
export function compileWorkload(
  spec: InstanceSpec,
  name: string | undefined,
  options: ResolvedKubernetesOptions,
): NimWorkload {
  validateSpec(spec);
  try {
    const workload = compileNimWorkload(spec, {
      namespace: options.namespace,
      ngcSecretName: options.ngcSecretName,
      imagePullSecrets: options.imagePullSecrets,
      surge: options.surge === 'always' || (options.surge === 'auto' && spec.gpu === 0),
      modelCache: options.modelCache === 'empty-dir' ? 'empty-dir' : 'pvc',
      name,
    });
    const annotations = (workload.deployment.metadata!.annotations ??= {});
    annotations[SPEC_ANNOTATION] = JSON.stringify(spec);
    return workload;
  } catch (error) {
    if (error instanceof OverrideError) throw new DomainError('invalid', 'runtime/invalid_spec', error.message);
    throw error;
  }
}

export function specFromAnnotation(deployment: V1Deployment): InstanceSpec | undefined {
  const raw = deployment.metadata?.annotations?.[SPEC_ANNOTATION];
  if (!raw) return undefined;
  try {
    const spec = JSON.parse(raw) as InstanceSpec;
    return spec.instanceId === deployment.metadata?.annotations?.[ANNOTATIONS.instanceId] ? spec : undefined;
  } catch {
    return undefined;
  }
}

function validateSpec(spec: InstanceSpec): void {
  const problems: string[] = [];
  if (!spec.image) problems.push('a container image is required on Kubernetes');
  if (!Number.isInteger(spec.gpu) || spec.gpu < 0) problems.push(`gpu must be a whole number ≥ 0, got ${spec.gpu}`);
  if (!spec.specHash) problems.push('specHash is empty');
  if (problems.length > 0) {
    throw new DomainError('invalid', 'runtime/invalid_spec', `Invalid instance spec: ${problems.join('; ')}`);
  }
}
