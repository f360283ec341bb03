import { jest } from '@jest/globals';
/**
 * The Kubernetes runtime against a real API server, scheduler and
 * controller-manager (k8s-envtest, or MODELPLANE_TEST_KUBECONFIG). There is
 * no kubelet: FakeKubelet writes pod status through the status subresource
 * and serves container logs to the API server; scheduling and the
 * Deployment/ReplicaSet controllers are the real ones.
 */
import {
  AppsV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import { eventually } from './worker-harness.js';
import { startTestSimulator, type TestSimulator } from '../apps/nim-sim/src/simulator.harness.js';
import {
  ANNOTATIONS,
  compileInstanceSpec,
  compileNimWorkload,
  FIELD_MANAGER,
  KubernetesRuntime,
  LABELS,
  SPEC_ANNOTATION,
  workloadName,
  type CompileOptions,
  type InstanceEvent,
  type InstanceObservation,
  type InstanceSpec,
} from '#runtime';
import { createTestNamespace, describeWithCluster, FakeKubelet, testClusterMode, type TestNamespace } from '#testing';

const describeK8s = describeWithCluster(describe, 'kubernetes-runtime');
/**
 * On k8s-envtest (no kubelet) the tests play the kubelet; on a cluster with kubelets
 * (MODELPLANE_TEST_KUBECONFIG, e.g. kind) the same scenarios come from real containers: an image
 * that does not exist, busybox exiting or running out of memory. Scenarios that need a NIM answering
 * on the pod's IP run on envtest only.
 */
const scripted = testClusterMode() === 'envtest';
const itScripted = scripted ? it : it.skip;
const BUSYBOX = process.env.MODELPLANE_TEST_BUSYBOX_IMAGE ?? 'busybox:1.36';
/** Real kubelets restart with back-off (10 s, 20 s, 40 s…): a crash loop takes minutes to show. */
const SLOW = scripted ? 20_000 : 240_000;

jest.setTimeout(scripted ? 60_000 : 300_000);

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
    if (scripted !== ns.fakeNodes) {
      throw new Error(
        scripted
          ? 'MODELPLANE_TEST_CLUSTER=envtest, but the nodes have kubelets: unset it'
          : 'The nodes have no kubelet (k8s-envtest?): set MODELPLANE_TEST_CLUSTER=envtest',
      );
    }
    kubelet = new FakeKubelet(ns);
    if (scripted) kubelet.start();
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

  interface SpecOptions {
    gpu?: number;
    /** `name:tag`. */
    image?: string;
    args?: string[];
    memoryLimit?: string;
    workspace?: string;
  }

  /** A GPU each on envtest's fake GPU nodes; on a real cluster MODELPLANE_TEST_GPU (default 0: kind has none). */
  const defaultGpu = scripted ? 1 : Number(process.env.MODELPLANE_TEST_GPU ?? 0);

  function spec(deployment: string, options: SpecOptions = {}): InstanceSpec {
    const image = options.image ?? 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4';
    const colon = image.lastIndexOf(':');
    return compileInstanceSpec(
      { workspace: options.workspace ?? 'default', deployment, version: 1 },
      {
        engine: 'nim',
        modelEntityId: null,
        modelSpec: { model_name: 'meta/llama-3.1-8b-instruct' },
        executorConfig: {
          gpu: options.gpu ?? defaultGpu,
          image_name: image.slice(0, colon),
          image_tag: image.slice(colon + 1),
          disk_size: '20Gi',
          additional_args: options.args,
          k8s_nim_operator_config: options.memoryLimit
            ? { resources: { requests: { memory: options.memoryLimit }, limits: { memory: options.memoryLimit } } }
            : undefined,
        },
      },
    );
  }

  async function until(
    instanceId: string,
    predicate: (obs: InstanceObservation) => boolean,
    timeoutMs = SLOW,
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

  itScripted(
    'happy path: applied server-side, scheduled on a GPU node, READY with the endpoint; applying again changes nothing',
    async () => {
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
    },
  );

  it('unschedulable: PENDING with the scheduler’s own message', async () => {
    const s = spec('too-big', { gpu: 1000 });
    await runtime.apply(s);
    const pending = await until(s.instanceId, (o) => o.reason === 'insufficient_capacity');
    expect(pending.phase).toBe('pending');
    expect(pending.message).toMatch(/Unschedulable: 0\/\d+ nodes are available: .*Insufficient nvidia.com\/gpu/);
  });

  it('image pull: PENDING while the kubelet retries, FAILED image_pull after the grace period, saying what to check', async () => {
    const s = spec('bad-image', { image: 'registry.invalid/modelplane/does-not-exist:1.8.4' });
    await runtime.apply(s);
    if (scripted) {
      await kubelet.setContainer(await scheduledPod(s), {
        state: 'waiting',
        reason: 'ImagePullBackOff',
        message: 'Back-off pulling image "registry.invalid/modelplane/does-not-exist:1.8.4"',
      });
    }
    const retrying = await until(s.instanceId, (o) => o.reason === 'image_pull');
    expect(retrying.phase).toBe('pending');
    const failed = await until(s.instanceId, (o) => o.phase === 'failed');
    expect(failed.reason).toBe('image_pull');
    expect(failed.message).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(failed.message).toContain('registry.invalid/modelplane/does-not-exist:1.8.4');
    expect(failed.message).toContain('image pull secret');
  });

  it('crash loop: FAILED crash_loop with the tail of the previous container’s log, read through the API server', async () => {
    const last = 'ValueError: model meta/llama-3.1-8b-instruct needs 2 GPUs';
    const s = spec('crashy', {
      image: BUSYBOX,
      args: ['sh', '-c', `for i in $(seq 1 30); do echo line $i; done; echo '${last}'; exit 1`],
    });
    await runtime.apply(s);
    if (scripted) {
      // What a kubelet does: serve the container's log to the API server, report the restarts.
      const pod = await scheduledPod(s);
      await kubelet.serveLogs(pod.spec!.nodeName!, process.env.MODELPLANE_TEST_K8S_PKI ?? '');
      const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
      kubelet.logs.set(`${pod.metadata!.name}/nim`, [...lines, last].join('\n'));
      await kubelet.setContainer(pod, {
        state: 'waiting',
        reason: 'CrashLoopBackOff',
        message: 'back-off 40s restarting failed container',
        restartCount: 3,
        lastTerminated: { reason: 'Error', exitCode: 1 },
      });
    }
    const failed = await until(s.instanceId, (o) => o.phase === 'failed');
    expect(failed.reason).toBe('crash_loop');
    expect(failed.restarts).toBeGreaterThanOrEqual(3);
    expect(failed.message).toContain('exit code 1');
    expect(failed.logTail).toHaveLength(20);
    expect(failed.logTail.at(-1)).toBe(last);
  });

  it('OOMKilled is named as such', async () => {
    // `tail /dev/zero` keeps one endless line in memory: with a 16Mi limit the kernel kills it.
    const s = spec('hungry', { image: BUSYBOX, args: ['tail', '/dev/zero'], memoryLimit: '16Mi' });
    await runtime.apply(s);
    if (scripted) {
      await kubelet.setContainer(await scheduledPod(s), {
        state: 'waiting',
        reason: 'CrashLoopBackOff',
        restartCount: 2,
        lastTerminated: { reason: 'OOMKilled', exitCode: 137 },
      });
    }
    const failed = await until(s.instanceId, (o) => o.phase === 'failed');
    expect(failed.reason).toBe('oom_killed');
    expect(failed.message).toContain('OOMKilled');
    expect(failed.message).toContain('memory limit 16Mi');
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

  it('after a relist (the periodic resync) the new watches still drive the restores', async () => {
    const s = spec('relisted');
    await runtime.apply(s);
    const before = (await runtime.list()).map((o) => o.instanceId).sort();
    await runtime.resync();
    expect((await runtime.list()).map((o) => o.instanceId).sort()).toEqual(before);
    const name = workloadName('default', 'relisted', 1);
    await ns.core.deleteNamespacedService({ name, namespace: ns.namespace });
    await eventually(
      async () => (await ns.core.readNamespacedService({ name, namespace: ns.namespace }).catch(() => null)) !== null,
    );
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

  it('deletion leaves nothing behind: Deployment, ReplicaSet, pods, Service', async () => {
    const s = spec('doomed', { image: BUSYBOX, args: ['sleep', '3600'] });
    await runtime.apply(s);
    await kubelet.waitForPod(selector(s), (pod) => Boolean(pod.spec?.nodeName), SLOW);
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

  itScripted('a new spec under the same instance rolls the Deployment (no surge for GPUs)', async () => {
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
    expect((await kubelet.pods(selector(s))).filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(1);
  });

  itScripted(
    'team-a/llama and team/a-llama (one name under the earlier scheme) run side by side, each READY on its own objects',
    async () => {
      const a = spec('llama', { workspace: 'team-a' });
      const b = spec('a-llama', { workspace: 'team' });
      await runtime.apply(a);
      await runtime.apply(b);
      const owners = await Promise.all(
        [a, b].map(async (s) => {
          const name = workloadName(s.workspace, s.deployment, s.version);
          const deployment = await apps.readNamespacedDeployment({ name, namespace: ns.namespace });
          const service = await ns.core.readNamespacedService({ name, namespace: ns.namespace });
          return [
            name,
            deployment.metadata?.annotations?.[ANNOTATIONS.instanceId],
            service.metadata?.annotations?.[ANNOTATIONS.instanceId],
          ];
        }),
      );
      expect(owners).toEqual([
        ['team-a--llama-v1', a.instanceId, a.instanceId],
        ['team--a-llama-v1', b.instanceId, b.instanceId],
      ]);
      const ips = [await serve(await scheduledPod(a), 'model-a'), await serve(await scheduledPod(b), 'model-b')];
      const ready = await Promise.all([a, b].map((s) => until(s.instanceId, (o) => o.phase === 'ready')));
      expect(ready.map((o) => o.endpoint)).toEqual(ips.map((ip) => `http://${ip}:${simPort}`));
      expect(ready.map((o) => [o.workspace, o.deployment])).toEqual([
        ['team-a', 'llama'],
        ['team', 'a-llama'],
      ]);
    },
  );

  it('objects made under the earlier naming scheme are adopted, not duplicated: apply, drift, resync and delete use them', async () => {
    const s = spec('legacy');
    const legacy = 'default-legacy-v1';
    // The worker of the earlier naming scheme stops, having applied this: its compiler's objects and annotations, the old name.
    await runtime.close();
    const oldOptions: CompileOptions = {
      namespace: ns.namespace,
      ngcSecretName: 'ngc-api',
      imagePullSecrets: [],
      surge: false,
      modelCache: 'empty-dir',
      name: legacy,
    };
    const old = compileNimWorkload(s, oldOptions);
    old.deployment.metadata!.annotations![SPEC_ANNOTATION] = JSON.stringify(s);
    const objects = KubernetesObjectApi.makeApiClient(ns.kubeConfig);
    for (const object of [old.service, old.deployment] as KubernetesObject[])
      await objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    const ofInstance = async (kind: 'deployments' | 'services' = 'deployments') => {
      const labelSelector = `${LABELS.managedBy}=modelplane`;
      const list =
        kind === 'deployments'
          ? await apps.listNamespacedDeployment({ namespace: ns.namespace, labelSelector })
          : await ns.core.listNamespacedService({ namespace: ns.namespace, labelSelector });
      return (list.items as KubernetesObject[])
        .filter(
          (o) => o.metadata?.annotations?.[ANNOTATIONS.instanceId] === s.instanceId && !o.metadata?.deletionTimestamp,
        )
        .map((o) => o.metadata?.name);
    };

    // The upgraded worker starts, and the reconciler applies the running version (and then a changed spec).
    runtime = makeRuntime();
    await runtime.init();
    runtime.watch((event) => events.push(event));
    await runtime.apply(s);
    const next = { ...s, env: { ...s.env, NIM_LOG_LEVEL: 'DEBUG' }, specHash: `${s.specHash}x` };
    await runtime.apply(next);
    expect(await ofInstance()).toEqual([legacy]);
    expect(await ofInstance('services')).toEqual([legacy]);
    const live = await apps.readNamespacedDeployment({ name: legacy, namespace: ns.namespace });
    expect(live.spec?.template.spec?.containers[0].env).toEqual(
      expect.arrayContaining([{ name: 'NIM_LOG_LEVEL', value: 'DEBUG' }]),
    );

    await ns.core.deleteNamespacedService({ name: legacy, namespace: ns.namespace });
    await eventually(async () => {
      const svc = await ns.core.readNamespacedService({ name: legacy, namespace: ns.namespace }).catch(() => null);
      return svc !== null && svc.metadata?.deletionTimestamp === undefined;
    });
    await runtime.resync();
    expect((await runtime.list()).map((o) => o.instanceId)).toContain(s.instanceId);
    expect(await ofInstance()).toEqual([legacy]);

    // A second Service of the instance under the new name (as a worker of either scheme racing the other
    // could leave): deleting the instance removes every object it has, whatever the name.
    const { service: twin } = compileNimWorkload(s, { ...oldOptions, name: undefined });
    await objects.patch(
      twin as KubernetesObject,
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    await eventually(async () => (await ofInstance('services')).length === 2);
    await runtime.delete(s.instanceId);
    await eventually(async () => (await runtime.observe(s.instanceId)).phase === 'missing');
    expect([await ofInstance('deployments'), await ofInstance('services')]).toEqual([[], []]);
  });

  it('never applies over an object of its name that is another instance’s or not Modelplane’s: the apply fails naming it', async () => {
    const name = workloadName('default', 'taken', 1);
    await apps.createNamespacedDeployment({
      namespace: ns.namespace,
      body: {
        metadata: {
          name,
          labels: { [LABELS.managedBy]: 'modelplane' },
          annotations: { [ANNOTATIONS.instanceId]: 'other.taken.v1' },
        },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'taken' } },
          template: { metadata: { labels: { app: 'taken' } }, spec: { containers: [{ name: 'x', image: 'x' }] } },
        },
      },
    });
    const taken = spec('taken');
    await expect(runtime.apply(taken)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'runtime/object_conflict',
      message: expect.stringContaining(
        `Deployment '${name}' in namespace '${ns.namespace}' already exists and belongs to another deployment version`,
      ),
    });
    const kept = await apps.readNamespacedDeployment({ name, namespace: ns.namespace });
    expect(kept.metadata?.annotations?.[ANNOTATIONS.instanceId]).toBe('other.taken.v1');
    expect(kept.spec?.selector.matchLabels).toEqual({ app: 'taken' });
    // Nothing of the refused version is left: its Service would have been applied first.
    await expect(ns.core.readNamespacedService({ name, namespace: ns.namespace })).rejects.toMatchObject({ code: 404 });

    const squatted = workloadName('default', 'squatted', 1);
    await ns.core.createNamespacedService({
      namespace: ns.namespace,
      body: { metadata: { name: squatted }, spec: { ports: [{ port: 80 }], selector: { app: 'mine' } } },
    });
    await expect(runtime.apply(spec('squatted'))).rejects.toMatchObject({
      code: 'runtime/object_conflict',
      message: expect.stringContaining(
        `Service '${squatted}' in namespace '${ns.namespace}' already exists and was not created by Modelplane`,
      ),
    });
    const service = await ns.core.readNamespacedService({ name: squatted, namespace: ns.namespace });
    expect(service.spec?.selector).toEqual({ app: 'mine' });
    expect(service.metadata?.labels?.[LABELS.managedBy]).toBeUndefined();
  });
});
