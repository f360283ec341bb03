import { redisAddress } from './redis-connection.js';

describe('redisAddress', () => {
  it('names host and port, never the credentials', () => {
    expect(redisAddress('redis://127.0.0.1:6379')).toBe('127.0.0.1:6379');
    expect(redisAddress('redis://cache.internal')).toBe('cache.internal:6379');
    const address = redisAddress('rediss://default:s3cr3t-pw@cache.internal:6380/2');
    expect(address).toBe('cache.internal:6380');
    expect(address).not.toContain('s3cr3t');
  });
});
