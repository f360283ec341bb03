import { jest } from '@jest/globals';
/**
 * The Kubernetes runtime against a real API server, scheduler and
 * controller-manager (k8s-envtest, or MODELPLANE_TEST_KUBECONFIG). There is
 * no kubelet: FakeKubelet writes pod status through the status subresource
 * and serves container logs to the API server; scheduling and the
 * Deployment/ReplicaSet controllers are the real ones.
 */
import { AppsV1Api, PatchStrategy, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { startTestSimulator, type TestSimulator } from '../apps/nim-sim/src/simulator.harness.js';
import {
  compileInstanceSpec,
  KubernetesRuntime,
  LABELS,
  workloadName,
  type InstanceEvent,
  type InstanceObservation,
  type InstanceSpec,
} from '#runtime';
import { createTestNamespace, describeWithCluster, FakeKubelet, type TestNamespace } from '#testing';

const describeK8s = describeWithCluster(describe, 'kubernetes-runtime');

jest.setTimeout(60_000);

describeK8s('KubernetesRuntime (real API server)', () => {
  let ns: TestNamespace;
  let kubelet: FakeKubelet;
  let runtime: KubernetesRuntime;
  let apps: AppsV1Api;
  const events: InstanceEvent[] = [];
  const sims: TestSimulator[] = [];
  let simPort = 0;

  beforeAll(async () => {
    ns = await createTestNamespace('mp-rt');
    if (!ns.fakeNodes) throw new Error('This suite plays the kubelet: it needs a cluster of fake nodes (k8s-envtest)');
    kubelet = new FakeKubelet(ns);
    kubelet.start();
    apps = ns.kubeConfig.makeApiClient(AppsV1Api);
    // One port for every pod: each fake pod gets its own loopback address.
    const probe = await startTestSimulator();
    simPort = probe.port;
    await probe.close();
    runtime = makeRuntime();
    await runtime.init();
    runtime.watch((event) => events.push(event));
  });

  afterAll(async () => {
    await runtime?.close();
    await Promise.all(sims.map((sim) => sim.close()));
    await kubelet?.stop();
    await ns?.delete();
  });

  function makeRuntime(): KubernetesRuntime {
    return new KubernetesRuntime({
      kubeConfig: ns.kubeConfig,
      namespace: ns.namespace,
      endpointTemplate: `http://{podIP}:${simPort}`,
      modelCache: 'empty-dir',
      crashLoopRestarts: 3,
      startErrorGraceMs: 1500,
      logger: { log: () => undefined, warn: () => undefined, error: (m) => console.error(m) },
    });
  }

  function spec(deployment: string, overrides: { gpu?: number; image?: string; version?: number } = {}): InstanceSpec {
    return compileInstanceSpec(
      { workspace: 'default', deployment, version: overrides.version ?? 1 },
      {
        engine: 'nim',
        modelEntityId: null,
        modelSpec: { model_name: 'meta/llama-3.1-8b-instruct' },
        executorConfig: {
          gpu: overrides.gpu ?? 1,
          image_name: overrides.image ?? 'nvcr.io/nim/meta/llama-3.1-8b-instruct',
          image_tag: '1.8.4',
          disk_size: '20Gi',
        },
      },
    );
  }

  async function until(
    instanceId: string,
    predicate: (obs: InstanceObservation) => boolean,
    timeoutMs = 20_000,
  ): Promise<InstanceObservation> {
    const deadline = Date.now() + timeoutMs;
    let last: InstanceObservation | undefined;
    for (;;) {
      last = await runtime.observe(instanceId);
      if (predicate(last)) return last;
      if (Date.now() > deadline) throw new Error(`${instanceId}: still ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const selector = (s: InstanceSpec) => `${LABELS.instance}=${workloadName(s.workspace, s.deployment, s.version)}`;

  async function scheduledPod(s: InstanceSpec): Promise<V1Pod> {
    return kubelet.waitForPod(selector(s), (pod) => Boolean(pod.spec?.nodeName));
  }

  async function serve(pod: V1Pod, model: string): Promise<string> {
    const ip = kubelet.allocateIp();
    const sim = await startTestSimulator({ HOST: ip, PORT: String(simPort), NIM_SERVED_MODEL_NAME: model });
    sims.push(sim);
    await kubelet.setContainer(pod, { state: 'running', ready: true }, ip);
    return ip;
  }

  it('happy path: applied server-side, scheduled on a GPU node, READY with the endpoint; applying again changes nothing', async () => {
    const s = spec('happy');
    const first = await runtime.apply(s);
    expect(['pending', 'starting']).toContain(first.phase);
    const name = workloadName('default', 'happy', 1);
    const deployment = await apps.readNamespacedDeployment({ name, namespace: ns.namespace });
    expect(deployment.metadata?.managedFields?.map((f) => f.manager)).toContain('modelplane');
    const service = await ns.core.readNamespacedService({ name, namespace: ns.namespace });
    expect(service.spec?.ports?.[0].port).toBe(8000);

    const pod = await scheduledPod(s);
    expect(pod.spec?.nodeName).toBeTruthy();
    expect((await runtime.observe(s.instanceId)).phase).toBe('pending');
    await kubelet.setContainer(pod, { state: 'running', ready: false });
    const starting = await until(s.instanceId, (o) => o.phase === 'starting');
    expect(starting.message).toContain('/v1/health/ready');

    const ip = await serve(pod, 'meta/llama-3.1-8b-instruct');
    const ready = await until(s.instanceId, (o) => o.phase === 'ready');
    expect(ready.endpoint).toBe(`http://${ip}:${simPort}`);
    const models = (await (await fetch(`${ready.endpoint}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data[0].id).toBe('meta/llama-3.1-8b-instruct');
    expect(events.filter((e) => e.instanceId === s.instanceId).map((e) => e.change)).toEqual(
      expect.arrayContaining(['started', 'ready']),
    );

    // The Deployment's status moves on its own (the controller counts ready pods): compare what an apply would touch.
    const versions = async () => {
      const d = await apps.readNamespacedDeployment({ name, namespace: ns.namespace });
      const svc = await ns.core.readNamespacedService({ name, namespace: ns.namespace });
      const ours = (fields: { manager?: string; operation?: string; time?: Date }[] | undefined) =>
        fields
          ?.filter((f) => f.manager === 'modelplane')
          .map((f) => `${f.operation}@${new Date(f.time!).toISOString()}`);
      return [d.metadata?.generation, ours(d.metadata?.managedFields), svc.metadata?.resourceVersion];
    };
    const before = await versions();
    expect((await runtime.apply(s)).phase).toBe('ready');
    expect(await versions()).toEqual(before);
  });

  it('unschedulable: PENDING with the scheduler’s own message', async () => {
    const s = spec('too-big', { gpu: 1000 });
    await runtime.apply(s);
    const pending = await until(s.instanceId, (o) => o.reason === 'insufficient_capacity');
    expect(pending.phase).toBe('pending');
    expect(pending.message).toMatch(/Unschedulable: 0\/\d+ nodes are available: .*Insufficient nvidia.com\/gpu/);
  });

  it('image pull: PENDING while the kubelet retries, FAILED image_pull after the grace period, saying what to check', async () => {
    const s = spec('bad-image', { image: 'nvcr.io/nim/does-not/exist' });
    await runtime.apply(s);
    const pod = await scheduledPod(s);
    await kubelet.setContainer(pod, {
      state: 'waiting',
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "nvcr.io/nim/does-not/exist:1.8.4"',
    });
    const retrying = await until(s.instanceId, (o) => o.reason === 'image_pull');
    expect(retrying.phase).toBe('pending');
    const failed = await until(s.instanceId, (o) => o.phase === 'failed');
    expect(failed.reason).toBe('image_pull');
    expect(failed.message).toContain('ImagePullBackOff');
    expect(failed.message).toContain('image pull secret');
  });

  it('crash loop: FAILED crash_loop with the tail of the previous container’s log, read through the API server', async () => {
    const s = spec('crashy');
    await runtime.apply(s);
    const pod = await scheduledPod(s);
    await kubelet.serveLogs(pod.spec!.nodeName!, process.env.MODELPLANE_TEST_K8S_PKI ?? '');
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    lines.push('ValueError: model meta/llama-3.1-8b-instruct needs 2 GPUs');
    kubelet.logs.set(`${pod.metadata!.name}/nim`, lines.join('\n'));
    await kubelet.setContainer(pod, {
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      message: 'back-off 40s restarting failed container',
      restartCount: 3,
      lastTerminated: { reason: 'Error', exitCode: 1 },
    });
    const failed = await until(s.instanceId, (o) => o.phase === 'failed');
    expect(failed.reason).toBe('crash_loop');
    expect(failed.restarts).toBe(3);
    expect(failed.message).toContain('exit code 1');
    expect(failed.logTail).toHaveLength(20);
    expect(failed.logTail.at(-1)).toBe('ValueError: model meta/llama-3.1-8b-instruct needs 2 GPUs');
  });

  it('OOMKilled is named as such', async () => {
    const s = spec('hungry');
    await runtime.apply(s);
    const pod = await scheduledPod(s);
    await kubelet.setContainer(pod, {
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      restartCount: 2,
      lastTerminated: { reason: 'OOMKilled', exitCode: 137 },
    });
    const failed = await until(s.instanceId, (o) => o.phase === 'failed');
    expect(failed.reason).toBe('oom_killed');
    expect(failed.message).toContain('OOMKilled');
  });

  it('drift: a deleted Service is recreated, a scaled or edited Deployment is put back', async () => {
    const s = spec('drifty');
    await runtime.apply(s);
    const name = workloadName('default', 'drifty', 1);
    await ns.core.deleteNamespacedService({ name, namespace: ns.namespace });
    await eventually(async () => {
      const svc = await ns.core.readNamespacedService({ name, namespace: ns.namespace }).catch(() => null);
      return svc !== null && svc.metadata?.deletionTimestamp === undefined;
    });

    await apps.patchNamespacedDeployment(
      {
        name,
        namespace: ns.namespace,
        body: { spec: { replicas: 3, template: { spec: { containers: [{ name: 'nim', image: 'evil:latest' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name, namespace: ns.namespace });
      return d.spec?.replicas === 1 && d.spec.template.spec?.containers[0].image === s.image;
    });
  });

  it('a new runtime (a restarted worker) restores objects from what the Deployment records', async () => {
    const s = spec('survivor');
    await runtime.apply(s);
    await runtime.close();
    runtime = makeRuntime();
    await runtime.init();
    runtime.watch((event) => events.push(event));
    const name = workloadName('default', 'survivor', 1);
    await ns.core.deleteNamespacedService({ name, namespace: ns.namespace });
    await eventually(
      async () => (await ns.core.readNamespacedService({ name, namespace: ns.namespace }).catch(() => null)) !== null,
    );
    expect((await runtime.list()).map((o) => o.instanceId)).toContain(s.instanceId);
  });

  it('a new spec under the same instance rolls the Deployment; deletion leaves nothing behind', async () => {
    const s = spec('rolling');
    await runtime.apply(s);
    const pod = await scheduledPod(s);
    await serve(pod, 'rolling-model');
    await until(s.instanceId, (o) => o.phase === 'ready');

    const next = { ...s, env: { ...s.env, NIM_LOG_LEVEL: 'DEBUG' }, specHash: `${s.specHash}x` };
    await runtime.apply(next);
    // No surge for a GPU instance: the old pod goes first (maxSurge 0), then the new one is scheduled.
    const newPod = await kubelet.waitForPod(
      selector(s),
      (p) => p.metadata?.annotations?.['modelplane.io/spec-hash'] === next.specHash && Boolean(p.spec?.nodeName),
    );
    expect(newPod.metadata?.name).not.toBe(pod.metadata?.name);
    await serve(newPod, 'rolling-model');
    const ready = await until(s.instanceId, (o) => o.phase === 'ready' && o.specHash === next.specHash);
    expect(ready.endpoint).toBeDefined();

    await runtime.delete(s.instanceId);
    expect((await runtime.observe(s.instanceId)).phase).toBe('terminating');
    await until(s.instanceId, (o) => o.phase === 'missing');
    const left = await Promise.all([
      apps.listNamespacedDeployment({ namespace: ns.namespace, labelSelector: selector(s) }),
      apps.listNamespacedReplicaSet({ namespace: ns.namespace, labelSelector: selector(s) }),
      ns.core.listNamespacedPod({ namespace: ns.namespace, labelSelector: selector(s) }),
      ns.core.listNamespacedService({ namespace: ns.namespace, labelSelector: selector(s) }),
    ]);
    expect(left.map((l) => l.items.length)).toEqual([0, 0, 0, 0]);
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
