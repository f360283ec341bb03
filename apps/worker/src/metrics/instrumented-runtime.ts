import { DomainError, TimeoutError } from '#domain';
import type { Runtime } from '#runtime';
import type { WorkerMetrics } from './worker-metrics.js';

/** The runtime calls that reach the cluster or the processes, and may fail. */
const COUNTED = new Set<PropertyKey>(['apply', 'observe', 'delete', 'list', 'ping'] satisfies (keyof Runtime)[]);

/**
 * The runtime as the worker drives it, with every failed call counted in
 * `modelplane_runtime_api_errors_total` {operation, code}. The calls and their results are the runtime's
 * own; everything else (an implementation's own methods, which tests read) passes through untouched.
 */
export function instrumentRuntime<R extends Runtime>(runtime: R, metrics: WorkerMetrics): R {
  return new Proxy(runtime, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!COUNTED.has(property)) return method.bind(target);
      return async (...args: unknown[]) => {
        try {
          return await method.apply(target, args);
        } catch (error) {
          metrics.runtimeError(String(property), errorCode(error));
          throw error;
        }
      };
    },
  });
}

/**
 * A bounded code for an error: the HTTP status of a Kubernetes API answer, a domain error's kind, a
 * system error's code (`ECONNREFUSED`), `timeout`, or `other`; never the message.
 */
export function errorCode(error: unknown): string {
  if (error instanceof TimeoutError) return 'timeout';
  if (error instanceof DomainError) return error.kind;
  const { code: given, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  const code = given ?? statusCode;
  if (typeof code === 'number' && Number.isInteger(code) && code >= 100 && code < 600) return String(code);
  if (typeof code === 'string' && /^(E[A-Z0-9_]{1,30}|UND_ERR_[A-Z_]{1,30})$/.test(code)) return code;
  return 'other';
}
