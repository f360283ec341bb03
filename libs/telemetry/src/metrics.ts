import { collectDefaultMetrics, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The content type of the Prometheus text format prom-client writes. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * Seconds: from a millisecond cache hit to a NIM's first token of a long prompt, and a deployment's
 * download-heavy start (the create-to-READY histogram has buckets of its own).
 */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Tokens per request (OpenTelemetry's advice for gen_ai.client.token.usage). */
export const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

/**
 * One registry per process (not prom-client's global one: the tests run an API, a gateway and a worker
 * in one process, and each must show only its own). Node's process metrics (CPU, memory, event-loop lag,
 * GC) are in each.
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The status class of an HTTP status (`2xx`…`5xx`): bounded, unlike the status itself. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}
