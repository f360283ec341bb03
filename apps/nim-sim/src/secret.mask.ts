/**
 * What of the environment the simulator may show. Secrets never reach the
 * config object at all: they are replaced by a mask as the environment is
 * read, so no later log line or endpoint can leak them by mistake.
 */

export const MASK = '***';

/** Deliberately broad: a masked non-secret costs a test a look at settings, a leaked key costs a rotation. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD/i;

/** `scheme://user:pass@host` in a value that is not itself secret (a PEFT source URL, a proxy). */
const URL_CREDENTIALS = /(\/\/)[^/@\s]+@/g;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function maskedValue(name: string, value: string): string {
  return isSecretName(name) ? MASK : value.replace(URL_CREDENTIALS, `$1${MASK}@`);
}

/** Every NIM_* and NGC_* variable, sorted by name, secrets masked. */
export function nimEnvOf(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || !(name.startsWith('NIM_') || name.startsWith('NGC_'))) continue;
    out[name] = maskedValue(name, value);
  }
  return out;
}
