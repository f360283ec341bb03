import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { dialectOf, statusFromWire, statusOnWire } from './dialect.js';
import { fromNemoPath, rewriteNemoUrl } from './nemo-paths.js';

describe("NeMo's path families", () => {
  it.each([
    ['/apis/models/v2/workspaces/ws/deployments', '/v2/workspaces/ws/deployments'],
    [
      '/apis/models/v2/workspaces/ws/deployments/llama/versions/2?x=1',
      '/v2/workspaces/ws/deployments/llama/versions/2?x=1',
    ],
    ['/apis/models/v2/workspaces/ws/deployment-configs?page=2', '/v2/workspaces/ws/deployment-configs?page=2'],
    ['/apis/models/v2/workspaces/ws/models/a%2Fb', '/v2/workspaces/ws/models/a%2Fb'],
    ['/apis/models/v2/workspaces/ws/providers/p/status', '/v2/workspaces/ws/providers/p/status'],
    ['/apis/models/v2/workspaces/ws/adapters/a?x=1', '/v2/workspaces/ws/adapters/a?x=1'],
    ['/apis/models/v2/workspaces/ws/models/m/adapters/a', '/v2/workspaces/ws/models/m/adapters/a'],
    ['/apis/entities/v2/workspaces', '/v2/workspaces'],
    ['/apis/entities/v2/workspaces?page=1', '/v2/workspaces?page=1'],
    ['/apis/entities/v2/workspaces/ws', '/v2/workspaces/ws'],
    ['/apis/entities/v2/workspaces/ws/members/alice%40x.io', '/v2/workspaces/ws/members/alice%40x.io'],
    ['/apis/secrets/v2/workspaces/ws/secrets/k', '/v2/workspaces/ws/secrets/k'],
    ['/apis/secrets/v2/rotate-encryption-keys', '/v2/admin/secrets/rotate'],
    ['/apis/auth/v2/iam/role-bindings?page=1', '/v2/iam/role-bindings?page=1'],
    [
      '/apis/inference-gateway/v2/workspaces/ws/openai/-/v1/models',
      '/v2/workspaces/ws/inference/gateway/openai/-/v1/models',
    ],
    [
      '/apis/inference-gateway/v2/workspaces/ws/provider/p/ready',
      '/v2/workspaces/ws/inference/gateway/provider/p/ready',
    ],
    // The VirtualModel store is the registry's (the API), not a gateway route.
    ['/apis/inference-gateway/v2/workspaces/ws/virtual-models', '/v2/workspaces/ws/virtual-models'],
    [
      '/apis/inference-gateway/v2/workspaces/ws/virtual-models/router?x=1',
      '/v2/workspaces/ws/virtual-models/router?x=1',
    ],
    // NeMo's SDK encodes the forwarded path's slashes; only those after `/-/`, never the query's, are decoded.
    [
      '/apis/inference-gateway/v2/workspaces/ws/openai/-/v1%2Fchat%2Fcompletions',
      '/v2/workspaces/ws/inference/gateway/openai/-/v1/chat/completions',
    ],
    [
      '/apis/inference-gateway/v2/workspaces/ws/model/a%2Fb/-/v1%2fmodels?next=x%2Fy',
      '/v2/workspaces/ws/inference/gateway/model/a%2Fb/-/v1/models?next=x%2Fy',
    ],
    [
      '/apis/inference-gateway/v2/workspaces/ws/provider/p/-/v1%2F..%2Fadmin',
      '/v2/workspaces/ws/inference/gateway/provider/p/-/v1/../admin',
    ],
    [
      '/apis/inference-gateway/v2/workspaces/ws/openai?q=%2F-%2Fa%2Fb',
      '/v2/workspaces/ws/inference/gateway/openai?q=%2F-%2Fa%2Fb',
    ],
  ])('%s → %s', (nemo, ours) => {
    expect(fromNemoPath(nemo)).toBe(ours);
  });

  it.each([
    '/v2/workspaces/ws/models',
    '/apis/auth/discovery',
    '/apis/models/v2/workspaces/ws/secrets',
    '/apis/secrets/v2/workspaces/ws/models',
    '/apis/entities/v2/workspaces/ws/models',
    '/apis/models/v2/workspaces/ws/deploymentsx',
    '/apis/models/v3/workspaces/ws/models',
    '/apis/inference-gateway/v2/workspaces/ws/admin',
    '/apis/inference-gateway/v2/workspaces/ws/virtual-modelsx',
    '/apis/models/v2/workspaces/ws/virtual-models',
    '/apis/secrets/v2/rotate-encryption-keys/x',
    '/apis/secrets/v2/workspaces/ws/secrets-x',
  ])('leaves %s alone', (url) => {
    expect(fromNemoPath(url)).toBeNull();
  });

  it('marks a rewritten request as speaking NeMo, and only that one', () => {
    const nemo = Object.assign(new IncomingMessage(new Socket()), { url: '/apis/models/v2/workspaces/ws/deployments' });
    const ours = Object.assign(new IncomingMessage(new Socket()), { url: '/v2/workspaces/ws/deployments' });
    expect(rewriteNemoUrl(nemo)).toBe('/v2/workspaces/ws/deployments');
    expect(rewriteNemoUrl(ours)).toBe('/v2/workspaces/ws/deployments');
    expect(dialectOf(nemo)).toBe('nemo');
    expect(dialectOf(ours)).toBe('modelplane');
  });

  it('says FAILED as ERROR to NeMo, and reads it back', () => {
    expect(statusOnWire('FAILED', 'nemo')).toBe('ERROR');
    expect(statusOnWire('FAILED', 'modelplane')).toBe('FAILED');
    expect(statusOnWire('READY', 'nemo')).toBe('READY');
    expect(statusFromWire('ERROR', 'nemo')).toBe('FAILED');
    expect(statusFromWire('ERROR', 'modelplane')).toBe('ERROR');
  });
});
