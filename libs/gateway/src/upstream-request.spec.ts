import { GatewayError } from './gateway-error.js';
import { buildRoutingTable } from './routing-table.js';
import { forwardedPath, mergeBody, upstreamHeaders, upstreamUrl } from './upstream-request.js';

const provider = buildRoutingTable([
  {
    id: 'p1',
    workspace: 'ws',
    name: 'p',
    hostUrl: 'http://up:8000',
    status: 'READY',
    statusMessage: '',
    servedModels: [],
    defaultExtraHeaders: { 'X-Tenant': 'default', 'X-Keep': 'default' },
    requiredExtraHeaders: { 'X-Required': 'yes' },
    defaultExtraBody: { temperature: 0.1, top_p: 0.9 },
    requiredExtraBody: { user: 'gateway' },
    authHeader: { name: 'Authorization', value: 'Bearer provider-key' },
    keyError: null,
  },
]).providers.get('ws/p')!;

describe('forwardedPath', () => {
  const base = '/v2/workspaces/ws/inference/gateway/model/m/-/';
  it('is everything after /-/, query string included, as sent', () => {
    expect(forwardedPath(`${base}v1/chat/completions?api-version=2&x=%20`)).toBe(
      'v1/chat/completions?api-version=2&x=%20',
    );
  });
  it.each([
    ['v1/../admin', "'.' or '..'"],
    ['v1/%2e%2e/admin', "'.' or '..'"],
    ['v1/./x', "'.' or '..'"],
    ['v1%2Fchat', 'encoded slashes'],
    ['v1%5Cchat', 'encoded slashes'],
    ['v1/%E0%A4%A', 'malformed escape'],
  ])('refuses %s', (path, message) => {
    expect(() => forwardedPath(base + path)).toThrow(GatewayError);
    expect(() => forwardedPath(base + path)).toThrow(message);
  });
});

describe('upstreamUrl', () => {
  it.each([
    ['http://h:1', 'v1/chat/completions', 'http://h:1/v1/chat/completions'],
    ['http://h:1/', '/v1/models?x=1', 'http://h:1/v1/models?x=1'],
    ['https://api.example.com/v1', 'v1/chat/completions', 'https://api.example.com/v1/chat/completions'],
    ['https://api.example.com/v1/', 'v1/models', 'https://api.example.com/v1/models'],
    ['https://api.example.com/openai', 'v1/models', 'https://api.example.com/openai/v1/models'],
  ])('%s + %s → %s', (host, path, url) => {
    expect(upstreamUrl(host, path).toString()).toBe(url);
  });
});

describe('upstreamHeaders', () => {
  it("drops the client's credentials and hop-by-hop headers, then defaults, required and the key in that order", () => {
    const headers = upstreamHeaders(
      {
        authorization: 'Bearer client',
        'x-api-key': 'client',
        host: 'gw',
        connection: 'keep-alive, X-Hop',
        'content-length': '10',
        'x-forwarded-for': '1.2.3.4',
        'x-forwarded-port': '443',
        forwarded: 'for=1.2.3.4',
        'x-real-ip': '1.2.3.4',
        via: '1.1 proxy',
        cookie: 'session=abc',
        'proxy-authorization': 'Basic eA==',
        'proxy-connection': 'keep-alive',
        te: 'trailers',
        trailer: 'x-checksum',
        upgrade: 'h2c',
        expect: '100-continue',
        'keep-alive': 'timeout=5',
        'x-hop': 'named by connection',
        'x-keep': 'client',
        'x-required': 'client',
        accept: 'application/json',
      },
      provider,
      'req-1',
    );
    expect(headers).toEqual({
      accept: 'application/json',
      'x-keep': 'client',
      'x-tenant': 'default',
      'x-required': 'yes',
      authorization: 'Bearer provider-key',
      'x-request-id': 'req-1',
    });
  });
});

describe('mergeBody', () => {
  it('merges shallowly: defaults < request < required', () => {
    expect(mergeBody(provider, { temperature: 0.7, user: 'client', messages: [] })).toEqual({
      temperature: 0.7,
      top_p: 0.9,
      user: 'gateway',
      messages: [],
    });
  });
});
