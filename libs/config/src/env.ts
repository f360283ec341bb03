import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/**
 * Loads and validates a config class from the environment once. Nothing else
 * in the codebase reads process.env. A bad value stops the process at boot
 * with one message per variable, naming the variable and the rule.
 */
export function loadEnv<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(schema, present, { enableImplicitConversion: true });
  const errors = validateSync(config, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) throw new ConfigError(errors);
  return config;
}

export class ConfigError extends Error {
  constructor(errors: ValidationError[]) {
    super(
      'Invalid configuration:\n' +
        errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * `true/false/1/0/yes/no` → boolean; anything else is kept so validation names it. Reads the raw value
 * from `obj`: with implicit conversion on, `value` has already been through `Boolean()`, so the string
 * `'false'` arrives as `true`.
 */
export function toBool({ value, key, obj }: { value: unknown; key: string; obj: Record<string, unknown> }): unknown {
  const raw = obj !== null && typeof obj === 'object' && key in obj ? obj[key] : value;
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off'].includes(s)) return false;
  return raw;
}
