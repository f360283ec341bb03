import { reconnectDelay, redisAddress, RECONNECT_MAX_MS } from './redis-connection.js';

describe('reconnectDelay', () => {
  it('starts at 100 ms and doubles up to 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map(reconnectDelay)).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000,
    ]);
    expect(RECONNECT_MAX_MS).toBe(5000);
  });
});

describe('redisAddress', () => {
  it('names host and port, never the credentials', () => {
    expect(redisAddress('redis://127.0.0.1:6379')).toBe('127.0.0.1:6379');
    expect(redisAddress('redis://cache.internal')).toBe('cache.internal:6379');
    const address = redisAddress('rediss://default:s3cr3t-pw@cache.internal:6380/2');
    expect(address).toBe('cache.internal:6380');
    expect(address).not.toContain('s3cr3t');
  });
});
