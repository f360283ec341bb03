import { isAbsolute, join } from 'node:path';
import { type WorkerConfig } from '#config';
import { projectRoot } from '#db';
import { KubeConfig } from '@kubernetes/client-node';
import { existsSync, readFileSync } from 'node:fs';
import { KubernetesRuntime, LocalRuntime, type Runtime } from '#runtime';

/** The runtime this worker drives, from configuration. */
export async function createRuntime(config: WorkerConfig): Promise<Runtime> {
  switch (config.MODELPLANE_RUNTIME) {
    case 'local': {
      const stateDir = isAbsolute(config.LOCAL_RUNTIME_STATE_DIR)
        ? config.LOCAL_RUNTIME_STATE_DIR
        : join(projectRoot(), config.LOCAL_RUNTIME_STATE_DIR);
      const runtime = new LocalRuntime({
        stateDir,
        gpus: config.LOCAL_RUNTIME_GPUS,
        nice: config.LOCAL_RUNTIME_NICE,
        user: config.LOCAL_RUNTIME_USER,
        crashLoopRestarts: config.CRASH_LOOP_RESTARTS,
        restartBackoff: { initialMs: config.LOCAL_RUNTIME_RESTART_BACKOFF_MS },
        ...(config.LOCAL_RUNTIME_COMMAND ? { command: config.LOCAL_RUNTIME_COMMAND } : {}),
      });
      await runtime.init();
      return runtime;
    }
    case 'kubernetes': {
      const kubeConfig = new KubeConfig();
      if (config.KUBERNETES_KUBECONFIG) kubeConfig.loadFromFile(config.KUBERNETES_KUBECONFIG);
      else kubeConfig.loadFromDefault();
      const runtime = new KubernetesRuntime({
        kubeConfig,
        namespace: config.KUBERNETES_NAMESPACE ?? ownNamespace() ?? 'default',
        ngcSecretName: config.KUBERNETES_NGC_SECRET,
        imagePullSecrets: config.KUBERNETES_IMAGE_PULL_SECRETS.split(',').filter(Boolean),
        endpointTemplate: config.KUBERNETES_ENDPOINT_TEMPLATE,
        surge: config.KUBERNETES_SURGE,
        modelCache: config.KUBERNETES_MODEL_CACHE,
        crashLoopRestarts: config.CRASH_LOOP_RESTARTS,
        startErrorGraceMs: config.KUBERNETES_START_ERROR_GRACE_MS,
        resyncMs: config.KUBERNETES_RESYNC_MS,
      });
      // Fails the start, naming the kind and the cause, when the API server refuses the first lists.
      await runtime.init();
      return runtime;
    }
    case 'none':
      throw new Error('MODELPLANE_RUNTIME=none: there is nothing for a worker to run');
  }
}

/** The namespace of the pod this runs in (its ServiceAccount's), if it runs in one. */
function ownNamespace(): string | undefined {
  const file = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}
