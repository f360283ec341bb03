import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { RequestValidationError, type ValidationIssue } from './http-errors.js';

/**
 * Body and query validation: unknown properties are refused (a typo such as
 * `gpus` should not be silently ignored), values are not echoed back (they
 * may be secrets), and every issue names its field path and the rule.
 */
export function createValidationPipe(): ValidationPipe {
  return new LocatingValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors, [])),
  });
}

/** Adds where the value came from (body, query, path) to each issue's `loc`, as FastAPI does. */
class LocatingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new RequestValidationError([
        { type: 'model_attributes_type', loc: ['body'], msg: 'body must be a JSON object' },
      ]);
    }
    // PostgreSQL text and jsonb cannot hold NUL; refuse it here rather than fail in the database with a 500.
    const where = metadata.type === 'param' ? 'path' : metadata.type;
    const nul = findNul(value, metadata.data ? [metadata.data] : []);
    if (nul)
      throw new RequestValidationError([
        { type: 'string_nul', loc: [where, ...nul], msg: 'text must not contain NUL (\\u0000) characters' },
      ]);
    // Scalar path and query values are left as text: the pipes named on the parameter parse them strictly.
    if (metadata.metatype === Number || metadata.metatype === String || metadata.metatype === Boolean) return value;
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof RequestValidationError)) throw error;
      throw new RequestValidationError(error.issues.map((i) => ({ ...i, loc: [where, ...i.loc] })));
    }
  }
}

/** The path to the first string (or key) containing U+0000, if any. */
function findNul(value: unknown, path: (string | number)[], depth = 0): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (typeof value !== 'object' || value === null || depth > 64) return null;
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (key.includes('\u0000')) return path;
    const found = findNul(child, at, depth + 1);
    if (found) return found;
  }
  return null;
}

export function flatten(errors: ValidationError[], parent: (string | number)[]): ValidationIssue[] {
  return errors.flatMap((error) => {
    const loc = [...parent, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    const own = Object.entries(error.constraints ?? {}).map(([rule, msg]) => ({
      type: rule === 'whitelistValidation' ? 'extra_forbidden' : rule,
      loc,
      msg: rule === 'whitelistValidation' ? `${error.property} is not a known field` : msg,
    }));
    return [...own, ...flatten(error.children ?? [], loc)];
  });
}
