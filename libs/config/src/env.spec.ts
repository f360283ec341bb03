import { ApiConfig } from './api.config.js';
import { GatewayConfig } from './gateway.config.js';
import { WorkerConfig } from './worker.config.js';
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

describe('loadEnv: QUEUE_ENQUEUE_TIMEOUT_MS', () => {
  it('defaults to 2 s, shared by the API and the worker', () => {
    expect(loadEnv(ApiConfig, {}).QUEUE_ENQUEUE_TIMEOUT_MS).toBe(2000);
    expect(loadEnv(WorkerConfig, { QUEUE_ENQUEUE_TIMEOUT_MS: '500' }).QUEUE_ENQUEUE_TIMEOUT_MS).toBe(500);
  });

  it('refuses a bound too short to reach a healthy Redis, or none at all', () => {
    expect(() => loadEnv(ApiConfig, { QUEUE_ENQUEUE_TIMEOUT_MS: '10' })).toThrow(/QUEUE_ENQUEUE_TIMEOUT_MS/);
    expect(() => loadEnv(ApiConfig, { QUEUE_ENQUEUE_TIMEOUT_MS: 'never' })).toThrow(/QUEUE_ENQUEUE_TIMEOUT_MS/);
    expect(() => loadEnv(ApiConfig, { QUEUE_ENQUEUE_TIMEOUT_MS: '600000' })).toThrow(/QUEUE_ENQUEUE_TIMEOUT_MS/);
  });
});

describe('loadEnv: PROVIDER_EGRESS_ALLOW', () => {
  it('takes addresses, CIDR ranges, host names and *.domain, shared by every process', () => {
    const allow = '10.0.0.0/8, fd00::/8,127.0.0.1,llm.corp.example,*.corp.example';
    expect(loadEnv(ApiConfig, { PROVIDER_EGRESS_ALLOW: allow }).PROVIDER_EGRESS_ALLOW).toBe(allow);
    expect(loadEnv(WorkerConfig, {}).PROVIDER_EGRESS_ALLOW).toBe('');
    expect(loadEnv(GatewayConfig, { PROVIDER_EGRESS_ALLOW: allow }).PROVIDER_EGRESS_ALLOW).toBe(allow);
  });

  it.each(['10.0.0.0/33', 'https://llm.corp.example', '*', '10.0.0.0/8/1'])('refuses %s at boot, naming it', (bad) => {
    expect(() => loadEnv(ApiConfig, { PROVIDER_EGRESS_ALLOW: bad })).toThrow(/PROVIDER_EGRESS_ALLOW: '/);
  });
});
