import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { findUnstorableText, TEXT_PROBLEM_MESSAGES } from '#domain';
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

const OPTIONAL_BODIES = new WeakSet<object>();

/** Marks a body DTO whose fields are all optional: a request without a body is validated as `{}`. */
export function OptionalBody(): ClassDecorator {
  return (target) => {
    OPTIONAL_BODIES.add(target);
  };
}

/** Adds where the value came from (body, query, path) to each issue's `loc`, as FastAPI does. */
class LocatingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (
      metadata.type === 'body' &&
      value === undefined &&
      metadata.metatype &&
      OPTIONAL_BODIES.has(metadata.metatype)
    ) {
      value = {};
    }
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new RequestValidationError([
        { type: 'model_attributes_type', loc: ['body'], msg: 'body must be a JSON object' },
      ]);
    }
    const where = metadata.type === 'param' ? 'path' : metadata.type;
    const named = metadata.data ? [metadata.data] : [];
    // A parameter read by name is one value: `?wait_for[]=READY` or `?timeout[a]=1` arrive as an array or object.
    if (metadata.type === 'query' && metadata.data && value !== undefined && typeof value !== 'string') {
      throw new RequestValidationError([
        { type: 'string_type', loc: [where, ...named], msg: `${metadata.data} must be given once, as a single value` },
      ]);
    }
    // Bodies were checked as they were parsed (json-body.ts); path and query text is checked here.
    if (metadata.type !== 'body') {
      const issue = findUnstorableText(value);
      if (issue)
        throw new RequestValidationError([
          {
            type: `string_${issue.problem}`,
            loc: [where, ...named, ...issue.path],
            msg: TEXT_PROBLEM_MESSAGES[issue.problem],
          },
        ]);
    }
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
