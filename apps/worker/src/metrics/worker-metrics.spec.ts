import { ApiException } from '@kubernetes/client-node';
import { DomainError, TimeoutError } from '#domain';
import { Registry } from '#telemetry';
import { missing, type Runtime } from '#runtime';
import { errorCode, instrumentRuntime } from './instrumented-runtime.js';
import { WorkerMetrics } from './worker-metrics.js';

describe('WorkerMetrics', () => {
  it('counts a status write as a transition only when the status changes, with a bounded failure reason', async () => {
    const registry = new Registry();
    const metrics = new WorkerMetrics(registry);
    const createdAt = new Date(Date.now() - 42_000);
    const pending = { status: 'PENDING', createdAt };
    metrics.statusWritten(pending, { status: 'PENDING' });
    metrics.statusWritten(pending, { status: 'READY' });
    // Back from a lost instance: a transition, not a second start.
    metrics.statusWritten({ ...pending, reason: 'drift', createdAt: new Date(0) }, { status: 'READY' });
    metrics.statusWritten(pending, { status: 'FAILED', reason: 'crash_loop' });
    metrics.statusWritten(
      { status: 'READY', createdAt },
      { status: 'FAILED', reason: 'a reason nobody planned, with a user string' },
    );
    metrics.statusWritten({ status: 'CREATED', createdAt }, { status: 'FAILED', reason: null });
    const text = await registry.metrics();
    expect(text).toContain('modelplane_deployment_transitions_total{from="PENDING",to="READY"} 2');
    expect(text).not.toContain('from="PENDING",to="PENDING"');
    expect(text).toContain('modelplane_deployment_failures_total{reason="crash_loop"} 1');
    expect(text).toContain('modelplane_deployment_failures_total{reason="other"} 1');
    expect(text).toContain('modelplane_deployment_failures_total{reason="unknown"} 1');
    expect(text).toContain('modelplane_deployment_ready_seconds_count 1');
    const sum = Number(/modelplane_deployment_ready_seconds_sum (\S+)/.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(42);
    expect(sum).toBeLessThan(50);
  });

  it('does nothing without a registry (METRICS_ENABLED=false)', () => {
    const metrics = new WorkerMetrics(null);
    expect(() => {
      metrics.pass('settled', 0.1);
      metrics.waited(1);
      metrics.statusWritten({ status: 'PENDING', createdAt: new Date() }, { status: 'READY' });
      metrics.runtimeError('apply', '500');
    }).not.toThrow();
  });
});

describe('errorCode', () => {
  it('is a bounded code, never the message', () => {
    expect(errorCode(new ApiException(503, 'Service Unavailable', 'body', {}))).toBe('503');
    expect(errorCode(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }))).toBe(
      'ECONNREFUSED',
    );
    expect(errorCode(new TimeoutError('slow'))).toBe('timeout');
    expect(errorCode(new DomainError('invalid', 'deployment/invalid', 'bad spec'))).toBe('invalid');
    expect(errorCode(Object.assign(new Error('x'), { code: 'some user string' }))).toBe('other');
    expect(errorCode('thrown string')).toBe('other');
  });
});

describe('instrumentRuntime', () => {
  it('counts failed calls by operation and code, and passes everything else through', async () => {
    const registry = new Registry();
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const runtime: Runtime & { describe(id: string): string } = {
      kind: 'kubernetes',
      apply: () => Promise.reject(refused),
      observe: (id: string) => Promise.resolve(missing(id)),
      delete: () => Promise.reject(new TimeoutError('slow')),
      list: () => Promise.resolve([]),
      ping: () => Promise.reject(refused),
      watch: () => () => undefined,
      close: () => Promise.resolve(),
      describe: (id: string) => `instance ${id}`,
    };
    const driven = instrumentRuntime(runtime, new WorkerMetrics(registry));
    expect(driven.kind).toBe('kubernetes');
    expect(driven.describe('a.b.v1')).toBe('instance a.b.v1');
    expect((await driven.observe('a.b.v1')).phase).toBe('missing');
    await expect(driven.apply({} as never)).rejects.toBe(refused);
    await expect(driven.ping()).rejects.toBe(refused);
    await expect(driven.delete('a.b.v1')).rejects.toThrow('slow');
    const text = await registry.metrics();
    expect(text).toContain('modelplane_runtime_api_errors_total{operation="apply",code="ECONNREFUSED"} 1');
    expect(text).toContain('modelplane_runtime_api_errors_total{operation="ping",code="ECONNREFUSED"} 1');
    expect(text).toContain('modelplane_runtime_api_errors_total{operation="delete",code="timeout"} 1');
    expect(text).not.toContain('operation="observe"');
  });
});
