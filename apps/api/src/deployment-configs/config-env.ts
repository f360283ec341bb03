import { EnvNotAllowedError, envNameProblem } from '#domain';
import type { ExecutorConfigDto } from './deployment-config.dto.js';

type Loc = (string | number)[];

/**
 * Refuses a config whose server environment would carry a variable that
 * loads code (see envNameProblem), for every runtime: in `additional_envs`,
 * and in the `env` lists of the containers an `override_config` names (the
 * NIM compiler merges those into the pod). `allowed`: CONFIG_ENV_ALLOW.
 */
export function assertConfigEnv(exec: ExecutorConfigDto, allowed: ReadonlySet<string>): void {
  const at: Loc = ['body', 'executor_config'];
  for (const name of Object.keys(exec.additional_envs ?? {})) refuse(name, [...at, 'additional_envs', name], allowed);
  const podSpec = field(field(field(exec.override_config, 'spec'), 'template'), 'spec');
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = field(podSpec, list);
    if (!Array.isArray(containers)) continue;
    containers.forEach((container: unknown, i) => {
      const env = field(container, 'env');
      if (!Array.isArray(env)) return;
      env.forEach((entry: unknown, j) => {
        const name = field(entry, 'name');
        const loc = [...at, 'override_config', 'spec', 'template', 'spec', list, i, 'env', j, 'name'];
        if (typeof name === 'string') refuse(name, loc, allowed);
      });
    });
  }
}

function refuse(name: string, loc: Loc, allowed: ReadonlySet<string>): void {
  const problem = envNameProblem(name, allowed);
  if (problem !== null) throw new EnvNotAllowedError(loc, problem);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
