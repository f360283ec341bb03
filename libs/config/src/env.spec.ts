import { ApiConfig } from './api.config.js';
import { ConfigError, loadEnv } from './env.js';

describe('loadEnv: boolean settings', () => {
  it.each([
    ['false', false],
    ['0', false],
    ['no', false],
    ['off', false],
    ['true', true],
    ['1', true],
    ['YES', true],
  ])('reads %s as %s', (raw, expected) => {
    const config = loadEnv(ApiConfig, { MIGRATE_ON_START: raw, API_SERVES_GATEWAY: raw });
    expect(config.MIGRATE_ON_START).toBe(expected);
    expect(config.API_SERVES_GATEWAY).toBe(expected);
  });

  it('keeps the default when unset or empty', () => {
    expect(loadEnv(ApiConfig, {}).API_SERVES_GATEWAY).toBe(true);
    expect(loadEnv(ApiConfig, { API_SERVES_GATEWAY: '' }).API_SERVES_GATEWAY).toBe(true);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadEnv(ApiConfig, { MIGRATE_ON_START: 'maybe' })).toThrow(ConfigError);
    expect(() => loadEnv(ApiConfig, { MIGRATE_ON_START: 'maybe' })).toThrow(/MIGRATE_ON_START/);
  });
});
