import { jest } from '@jest/globals';
import type { Socket } from 'node:net';
import { ClusterCache, StoppableWatch } from '../libs/runtime/src/kubernetes/cluster-cache.js';
import { createTestNamespace, describeWithCluster, type TestNamespace } from '#testing';

jest.setTimeout(60_000);

const describeK8s = describeWithCluster(describe, 'kubernetes-cache');

/** Open sockets of this process to the API server that keep it alive (watches; idle pooled ones are unref'd). */
function liveSockets(port: number): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h) => {
    const socket = h as Socket & { hasRef?: () => boolean };
    return socket.remotePort === port && !socket.destroyed && (socket.hasRef?.() ?? true);
  }).length;
}

describeK8s('the runtime’s cluster cache (real API server)', () => {
  let ns: TestNamespace;

  beforeAll(async () => {
    ns = await createTestNamespace('mp-cache');
  });

  afterAll(async () => {
    await ns?.delete();
  });

  it('leaves no watch behind when stopped during a resync (the informers started then are stopped too)', async () => {
    const port = Number(new URL(ns.kubeConfig.getCurrentCluster()!.server).port || 443);
    const logger = { log: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    const before = liveSockets(port);
    for (let round = 0; round < 5; round++) {
      const cache = new ClusterCache({ kubeConfig: ns.kubeConfig, namespace: ns.namespace, logger });
      await cache.start();
      const resync = cache.resync();
      await cache.stop();
      await resync;
    }
    // A stopped watch's socket closes within moments; a leaked one stays open for good.
    const deadline = Date.now() + 5_000;
    while (liveSockets(port) > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(liveSockets(port)).toBeLessThanOrEqual(before);
  });

  it('leaves no watch behind after resyncs that overlap (a slow resync and the next one)', async () => {
    const port = Number(new URL(ns.kubeConfig.getCurrentCluster()!.server).port || 443);
    const logger = { log: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
    const before = liveSockets(port);
    const cache = new ClusterCache({ kubeConfig: ns.kubeConfig, namespace: ns.namespace, logger });
    await cache.start();
    await Promise.all([cache.resync(), cache.resync(), cache.resync(), cache.resync()]);
    await cache.stop();
    const deadline = Date.now() + 5_000;
    while (liveSockets(port) > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(liveSockets(port)).toBeLessThanOrEqual(before);
  });

  it('a watch asked for after its informer stopped opens nothing; one that opens as it stops is closed', async () => {
    const port = Number(new URL(ns.kubeConfig.getCurrentCluster()!.server).port || 443);
    const before = liveSockets(port);
    const path = `/api/v1/namespaces/${ns.namespace}/pods`;
    const noop = () => undefined;
    // Stopped first (client-node's ListWatch lists, then watches, without looking again).
    const stoppedFirst = new StoppableWatch(ns.kubeConfig);
    stoppedFirst.stopped = true;
    const idle = await stoppedFirst.watch(path, {}, noop, noop);
    expect(idle.signal.aborted).toBe(false);
    // Stopped while the watch request is on its way.
    const racing = new StoppableWatch(ns.kubeConfig);
    const opening = racing.watch(path, {}, noop, noop);
    racing.stopped = true;
    expect((await opening).signal.aborted).toBe(true);
    const deadline = Date.now() + 5_000;
    while (liveSockets(port) > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(liveSockets(port)).toBeLessThanOrEqual(before);
  });
});
