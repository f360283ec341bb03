import { KubeConfig } from '@kubernetes/client-node';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { KubernetesRuntime } from './kubernetes.runtime.js';

/** An API server's `/version` over HTTP: what the runtime's readiness ping reads. */
async function apiServer(status: number): Promise<{ server: Server; url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    const body =
      status === 200
        ? { major: '1', minor: '33', gitVersion: 'v1.33.0' }
        : { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: status };
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, paths };
}

function runtimeFor(url: string): KubernetesRuntime {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'test-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new KubernetesRuntime({ kubeConfig, namespace: 'modelplane' });
}

describe('KubernetesRuntime.ping', () => {
  it("reads the API server's /version, and nothing else (no caches are started)", async () => {
    const api = await apiServer(200);
    const runtime = runtimeFor(api.url);
    try {
      await runtime.ping();
      expect(api.paths).toEqual(['GET /version']);
    } finally {
      await runtime.close();
      api.server.close();
    }
  });

  it('rejects with the status of a refusal', async () => {
    const api = await apiServer(401);
    const runtime = runtimeFor(api.url);
    try {
      await expect(runtime.ping()).rejects.toMatchObject({ code: 401 });
    } finally {
      await runtime.close();
      api.server.close();
    }
  });
});
