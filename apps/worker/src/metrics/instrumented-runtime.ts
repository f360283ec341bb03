import { DomainError, TimeoutError } from '#domain';
import type { InstanceListener, InstanceObservation, InstanceSpec, Runtime } from '#runtime';
import type { WorkerMetrics } from './worker-metrics.js';

/**
 * The runtime as the worker drives it, with every failed call counted in
 * `modelplane_runtime_api_errors_total` {operation, code}. The calls and their results are the runtime's own.
 */
export class InstrumentedRuntime implements Runtime {
  constructor(
    private readonly runtime: Runtime,
    private readonly metrics: WorkerMetrics,
  ) {}

  get kind(): Runtime['kind'] {
    return this.runtime.kind;
  }

  apply(spec: InstanceSpec): Promise<InstanceObservation> {
    return this.counted('apply', () => this.runtime.apply(spec));
  }

  observe(instanceId: string): Promise<InstanceObservation> {
    return this.counted('observe', () => this.runtime.observe(instanceId));
  }

  delete(instanceId: string): Promise<void> {
    return this.counted('delete', () => this.runtime.delete(instanceId));
  }

  list(): Promise<InstanceObservation[]> {
    return this.counted('list', () => this.runtime.list());
  }

  ping(): Promise<void> {
    return this.counted('ping', () => this.runtime.ping());
  }

  watch(listener: InstanceListener): () => void {
    return this.runtime.watch(listener);
  }

  close(): Promise<void> {
    return this.runtime.close();
  }

  private async counted<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.metrics.runtimeError(operation, errorCode(error));
      throw error;
    }
  }
}

/**
 * A bounded code for an error: the HTTP status of a Kubernetes API answer, a domain error's kind, a
 * system error's code (`ECONNREFUSED`), `timeout`, or `other`; never the message.
 */
export function errorCode(error: unknown): string {
  if (error instanceof TimeoutError) return 'timeout';
  if (error instanceof DomainError) return error.kind;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && Number.isInteger(code) && code >= 100 && code < 600) return String(code);
  if (typeof code === 'string' && /^(E[A-Z0-9_]{1,30}|UND_ERR_[A-Z_]{1,30})$/.test(code)) return code;
  return 'other';
}
