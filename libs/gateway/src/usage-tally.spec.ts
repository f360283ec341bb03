import type { RequestOutcome } from './request-outcome.js';
import { isUsageError, MINUTE_MS, UsageTally } from './usage-tally.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

function outcome(overrides: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    requestId: 'req-1',
    workspace: 'ws',
    principal: 'alice',
    keyId: 'apikey-1',
    route: 'openai',
    model: 'llama',
    virtualModel: false,
    provider: 'ws/nim',
    operation: 'chat',
    status: 200,
    cause: null,
    startedAt: T0 + 5_000,
    durationMs: 120,
    timeToFirstTokenMs: null,
    inputTokens: 10,
    outputTokens: 20,
    pricing: null,
    ...overrides,
  };
}

describe('UsageTally', () => {
  it('adds requests of one key and minute into one row', () => {
    const tally = new UsageTally();
    tally.add(outcome());
    tally.add(outcome({ startedAt: T0 + 59_999, inputTokens: 1, outputTokens: 2 }));
    tally.add(outcome({ status: 502, cause: 'upstream_status', inputTokens: 0, outputTokens: 0 }));
    const { rows, dropped } = tally.take();
    expect(dropped).toBe(0);
    expect(rows).toEqual([
      {
        workspace: 'ws',
        bucket: new Date(T0),
        principal: 'alice',
        keyId: 'apikey-1',
        model: 'llama',
        provider: 'ws/nim',
        currency: '',
        requests: 3,
        errors: 1,
        inputTokens: 11,
        outputTokens: 22,
        cost: null,
      },
    ]);
    expect(tally.size).toBe(0);
    expect(tally.take().rows).toEqual([]);
  });

  it('keeps minutes, keys, models, providers and currencies apart; absent parts are empty strings', () => {
    const tally = new UsageTally();
    tally.add(outcome());
    tally.add(outcome({ startedAt: T0 + MINUTE_MS }));
    tally.add(outcome({ keyId: null, principal: 'user:bob' }));
    tally.add(outcome({ model: null, provider: null, principal: null, keyId: null, status: 404, cause: 'not_found' }));
    tally.add(outcome({ provider: 'ws/other' }));
    tally.add(outcome({ pricing: { input_per_million_tokens: 1, output_per_million_tokens: 2, currency: 'EUR' } }));
    const { rows } = tally.take();
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.model === '')).toMatchObject({ principal: '', keyId: '', provider: '', errors: 1 });
    expect(rows.find((r) => r.bucket.getTime() === T0 + MINUTE_MS)).toMatchObject({ requests: 1 });
    expect(rows.find((r) => r.currency === 'EUR')).toMatchObject({ requests: 1, cost: (10 * 1 + 20 * 2) / 1e6 });
  });

  it('sums cost as tokens × price per million', () => {
    const tally = new UsageTally();
    const pricing = { input_per_million_tokens: 0.5, output_per_million_tokens: 1.5, currency: 'USD' };
    tally.add(outcome({ pricing, inputTokens: 1_000_000, outputTokens: 2_000_000 }));
    tally.add(outcome({ pricing, inputTokens: 2_000, outputTokens: 0 }));
    const [row] = tally.take().rows;
    expect(row.currency).toBe('USD');
    expect(row.cost).toBeCloseTo(0.5 + 3 + 0.001, 12);
  });

  it('beyond the key cap, counts a new key as dropped while known keys keep counting', () => {
    const tally = new UsageTally(2);
    tally.add(outcome({ keyId: 'a' }));
    tally.add(outcome({ keyId: 'b' }));
    tally.add(outcome({ keyId: 'c' }));
    tally.add(outcome({ keyId: 'c' }));
    tally.add(outcome({ keyId: 'a' }));
    const { rows, dropped } = tally.take();
    expect(dropped).toBe(2);
    expect(rows.map((r) => [r.keyId, r.requests])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('restores rows that were not written, added to what was counted meanwhile, within the cap', () => {
    const tally = new UsageTally(2);
    tally.add(outcome({ keyId: 'a' }));
    tally.add(outcome({ keyId: 'b' }));
    const failed = tally.take().rows;
    tally.add(outcome({ keyId: 'a', inputTokens: 5 }));
    tally.add(outcome({ keyId: 'z' }));
    tally.restore(failed);
    const { rows, dropped } = tally.take();
    expect(rows.map((r) => [r.keyId, r.requests, r.inputTokens])).toEqual([
      ['a', 2, 15],
      ['z', 1, 10],
    ]);
    expect(dropped).toBe(1); // b's request: no room left
  });

  it('counts an error by its cause or an error status, not a client that went away', () => {
    expect(isUsageError({ cause: null, status: 200 })).toBe(false);
    expect(isUsageError({ cause: null, status: 0 })).toBe(false);
    expect(isUsageError({ cause: null, status: 429 })).toBe(true);
    expect(isUsageError({ cause: 'stream_cut', status: 200 })).toBe(true);
  });
});
