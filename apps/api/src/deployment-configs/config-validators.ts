/**
 * Validators for deployment-config fields that class-validator has no rule for: Kubernetes quantities and
 * environment maps. Their messages name the field and the rule; an env map's values are never shown.
 */
import { ValidateBy } from 'class-validator';
import { envNameSyntaxProblem } from '#domain';

/** Kubernetes resource quantities such as 50Gi or 500M: at most 3 decimals, as Kubernetes keeps. */
const QUANTITY = /^(\d{1,19}(?:\.\d{1,3})?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const QUANTITY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
/** Kubernetes caps every quantity at 2^63-1; a larger one would be silently changed, so it is refused. */
const MAX_QUANTITY = 2 ** 63 - 1;

export function IsQuantity(example: string) {
  return ValidateBy({
    name: 'isQuantity',
    validator: {
      validate: (value) => {
        const m = typeof value === 'string' ? QUANTITY.exec(value) : null;
        return m !== null && Number(m[1]) * QUANTITY_UNITS[m[2] ?? ''] <= MAX_QUANTITY;
      },
      defaultMessage: (args) =>
        `${args?.property} must be a Kubernetes quantity such as ${example} (at most 3 decimals, at most 8Ei)`,
    },
  });
}

/**
 * The first entry of an env map that is not a name with a string value, described (its value is not
 * shown). Syntax only: which names a config may set is the service's to say (it knows CONFIG_ENV_ALLOW).
 */
function envMapProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'additional_envs must be an object mapping environment variable names to strings';
  }
  for (const [name, v] of Object.entries(value)) {
    const problem = envNameSyntaxProblem(name);
    if (problem !== null) return `additional_envs: ${problem}`;
    if (typeof v !== 'string') return `additional_envs.${name} must be a string`;
  }
  return null;
}

export function IsEnvMap() {
  return ValidateBy({
    name: 'isEnvMap',
    validator: {
      validate: (value) => envMapProblem(value) === null,
      defaultMessage: (args) => envMapProblem(args?.value) ?? 'additional_envs is invalid',
    },
  });
}
