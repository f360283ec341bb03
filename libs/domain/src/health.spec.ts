import { healthCheck, healthReport } from './health.js';
import { TimeoutError, within } from './within.js';

describe('within', () => {
  it('answers the value, rethrows an early rejection, and gives up after the bound', async () => {
    expect(await within(Promise.resolve(7), 1000)).toEqual({ timedOut: false, value: 7 });
    await expect(within(Promise.reject(new Error('refused')), 1000)).rejects.toThrow('refused');
    const started = Date.now();
    expect(await within(new Promise(() => undefined), 50)).toEqual({ timedOut: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('swallows a rejection that comes after it gave up', async () => {
    const late = new Promise((_, fail) => setTimeout(() => fail(new Error('late')), 30));
    expect(await within(late, 5)).toEqual({ timedOut: true });
    await new Promise((r) => setTimeout(r, 50)); // an unhandled rejection would fail the run here
  });
});

describe('healthCheck', () => {
  it('tells ok, unreachable and timeout apart', async () => {
    expect(await healthCheck(async () => 'PONG')).toBe('ok');
    expect(await healthCheck(() => Promise.reject(new Error('ECONNREFUSED')))).toBe('unreachable');
    expect(
      await healthCheck(() => {
        throw new Error('thrown before any promise');
      }),
    ).toBe('unreachable');
    expect(await healthCheck(() => new Promise(() => undefined), 20)).toBe('timeout');
    expect(await healthCheck(() => Promise.reject(new TimeoutError('its own bound')))).toBe('timeout');
  });

  it('reports ready only when every check is ok', () => {
    expect(healthReport({ database: 'ok', redis: 'ok' })).toEqual({
      status: 'ok',
      checks: { database: 'ok', redis: 'ok' },
    });
    expect(healthReport({ database: 'ok', redis: 'timeout' }).status).toBe('unavailable');
    expect(healthReport({}).status).toBe('ok');
  });
});
