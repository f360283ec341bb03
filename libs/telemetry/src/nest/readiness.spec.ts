import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { TimeoutError } from '#domain';
import { NotReadyError, Readiness, ReadinessModule } from './readiness.js';

describe('Readiness', () => {
  let app: INestApplicationContext;
  let readiness: Readiness;

  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(ReadinessModule.forRoot({ timeoutMs: 150 }), { logger: false });
    readiness = app.get(Readiness);
  });
  afterAll(async () => {
    await app.close();
  });

  it('is ready when every check resolves, showing what a check reports instead of ok', async () => {
    expect(
      await readiness.report({
        database: async () => [{ '?column?': 1 }],
        routing_table: async () => 'loaded: 3 providers',
      }),
    ).toEqual({ status: 'ok', checks: { database: 'ok', routing_table: 'loaded: 3 providers' } });
  });

  it('names each failed check: unreachable, timeout (its own bound or the limit), or what it says', async () => {
    const started = Date.now();
    const report = await readiness.report({
      database: async () => undefined,
      redis: () =>
        Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })),
      queue: () => Promise.reject(new TimeoutError('no answer within 2000 ms')),
      runtime: () => new Promise(() => undefined),
      migrations: () => Promise.reject(new NotReadyError('pending: 20261201_usage')),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report).toEqual({
      status: 'unavailable',
      checks: {
        database: 'ok',
        redis: 'unreachable',
        queue: 'timeout',
        runtime: 'timeout',
        migrations: 'pending: 20261201_usage',
      },
    });
    // Never an error's own words (they may name hosts and ports) unless it is a NotReadyError.
    expect(JSON.stringify(report)).not.toContain('ECONNREFUSED');
  });

  it('is ready with no checks', async () => {
    expect(await readiness.report({})).toEqual({ status: 'ok', checks: {} });
  });
});
