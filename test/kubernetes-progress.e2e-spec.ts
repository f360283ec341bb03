import { jest } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { describeWithCluster, testClusterMode } from '#testing';
import { CLOSE_TIMEOUT_MS, KubernetesLifecycle } from './kubernetes-lifecycle.harness.js';

jest.setTimeout(120_000);

/** The test's kubelet writes the pods' Events and status: envtest only. */
const describeK8s =
  testClusterMode() === 'envtest' ? describeWithCluster(describe, 'kubernetes-progress') : describe.skip;

const INTERVAL_MS = 500;

interface Seen {
  status: string;
  status_message: string;
  status_history: { status: string; status_message: string }[];
}

/**
 * Progress while waiting on Kubernetes: the whole control plane (API, worker with the Kubernetes
 * runtime, a real API server, scheduler and controllers). The test plays the kubelet step by step:
 * it records the pod's Events (Pulling, Pulled, Created, Started, Unhealthy) and writes its status;
 * the real scheduler records FailedScheduling. The PENDING message follows, with a history entry per
 * phase and not per tick.
 */
describeK8s('progress while waiting on Kubernetes (pod Events on a real API server)', () => {
  const k8s = new KubernetesLifecycle();
  beforeAll(() =>
    k8s.start({ PROGRESS_INTERVAL_MS: String(INTERVAL_MS), PENDING_TIMEOUT_MS: '60000', HEALTH_TIMEOUT_MS: '60000' }),
  );
  afterAll(() => k8s.close(), CLOSE_TIMEOUT_MS);

  const get = async (name: string): Promise<Seen> =>
    (await k8s.plane.api.request('GET', `${k8s.base()}/deployments/${name}`)).body as Seen;

  /** Polls the deployment until its message matches; fails with the last one seen. */
  async function messageMatching(name: string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let last: Seen | undefined;
    while (Date.now() < deadline) {
      last = await get(name);
      const match = pattern.exec(last.status_message);
      if (match) return match;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${name}: no message matching ${pattern} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
  }

  const pendingEntries = (d: Seen) => d.status_history.filter((h) => h.status === 'PENDING');

  it('Pulling image → Waiting for readiness → READY from the kubelet’s Events, the clock ticking without history entries', async () => {
    k8s.hold('slow');
    await k8s.config('slow');
    await k8s.deploy('slow');
    const pod: V1Pod = await k8s.kubelet.waitForPod(k8s.selectorOf('slow'), (p) => Boolean(p.spec?.nodeName));
    const image = pod.spec!.containers[0].image!;

    // The pull began 4 s ago (the worker may have started late): the message counts from then.
    await k8s.kubelet.recordEvent(pod, {
      reason: 'Pulling',
      message: `Pulling image "${image}"`,
      firstSeen: new Date(Date.now() - 4000),
    });
    const pulling = await messageMatching('slow', /^Pulling image (\S+), (\d+)s$/);
    expect(pulling[1]).toBe(image);
    expect(Number(pulling[2])).toBeGreaterThanOrEqual(4);

    // The clock moves about every interval; the history does not.
    const before = pendingEntries(await get('slow')).length;
    const messages = new Set<string>();
    for (const end = Date.now() + 3000; Date.now() < end;) {
      messages.add((await get('slow')).status_message);
      await new Promise((r) => setTimeout(r, 100));
    }
    const ticks = [...messages].filter((m) => m.startsWith(`Pulling image ${image}, `));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(3000 / INTERVAL_MS + 2);
    expect(pendingEntries(await get('slow')).length).toBe(before);

    // Pulled, created, started: the container runs and its readiness probe answers 503 while the model loads.
    for (const [reason, message] of [
      ['Pulled', `Successfully pulled image "${image}" in 7s`],
      ['Created', 'Created container: nim'],
      ['Started', 'Started container nim'],
    ])
      await k8s.kubelet.recordEvent(pod, { reason, message });
    const ip = k8s.kubelet.allocateIp();
    await k8s.kubelet.setContainer(pod, { state: 'running', ready: false }, ip);
    await k8s.kubelet.recordEvent(pod, {
      reason: 'Unhealthy',
      type: 'Warning',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    });
    await messageMatching('slow', /^Waiting for readiness: model loading, \d+s$/);

    await k8s.runPod(pod, ip);
    await k8s.waitServing('slow', 1, 30_000);
    const ready = await get('slow');
    // One entry per phase of the start: no phase twice, none per tick.
    const phases = pendingEntries(ready).map((h) => h.status_message.replace(/, \d+[smh]\w*$/, ''));
    expect(phases).toEqual([...new Set(phases)]);
    expect(phases).toContain(`Pulling image ${image}`);
    // The phase is the entry; its detail (server starting, then model loading) only rewrites the message.
    expect(phases.filter((p) => p.startsWith('Waiting for readiness: '))).toHaveLength(1);
    expect(phases.length).toBeLessThanOrEqual(7);
  });

  it('a pod no node can take: Unschedulable with the scheduler’s FailedScheduling message', async () => {
    await k8s.config('huge', { gpu: 64 });
    await k8s.deploy('huge');
    const unschedulable = await messageMatching('huge', /^Unschedulable: (.+), (\d+)s$/);
    expect(unschedulable[1]).toMatch(/nvidia\.com\/gpu/);
    const d = await get('huge');
    expect(d.status).toBe('PENDING');
    expect(pendingEntries(d).filter((h) => h.status_message.startsWith('Unschedulable: '))).toHaveLength(1);
  });
});
