import { isAbsolute, join } from 'node:path';
import { type WorkerConfig } from '#config';
import { projectRoot } from '#db';
import { LocalRuntime, type Runtime } from '#runtime';

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
        crashLoopRestarts: config.CRASH_LOOP_RESTARTS,
        restartBackoff: { initialMs: config.LOCAL_RUNTIME_RESTART_BACKOFF_MS },
        ...(config.LOCAL_RUNTIME_COMMAND ? { command: config.LOCAL_RUNTIME_COMMAND } : {}),
      });
      await runtime.init();
      return runtime;
    }
    case 'kubernetes':
      throw new Error('MODELPLANE_RUNTIME=kubernetes is not available yet; use local');
    case 'none':
      throw new Error('MODELPLANE_RUNTIME=none: there is nothing for a worker to run');
  }
}
