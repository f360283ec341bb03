import { jest } from '@jest/globals';
import { AppsV1Api, type V1Pod } from '@kubernetes/client-node';
import { startTestSimulator, type TestSimulator } from '../apps/nim-sim/src/simulator.harness.js';
import { GatewayConfig, loadEnv } from '#config';
import { LABELS } from '#runtime';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import {
  cleanUp,
  createTestNamespace,
  describeWithCluster,
  FakeKubelet,
  testClusterMode,
  testKubeconfigPath,
  type TestNamespace,
} from '#testing';
import { newWorkspace, uniqueName, withAuth } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(120_000);
/** Bound of each teardown step: the namespace's alone may take 20 s (its pods are force-deleted for up to that). */
const CLEAN_UP_STEP_MS = 30_000;

const cluster = testKubeconfigPath();
/** The test's kubelet runs each pod as a simulator on this machine: envtest only. */
const describeK8s =
  testClusterMode() === 'envtest' ? describeWithCluster(describe, 'kubernetes-lifecycle') : describe.skip;

/**
 * The whole control plane on Kubernetes: the API, a worker with
 * MODELPLANE_RUNTIME=kubernetes (built from its environment, as in
 * production), a real API server, scheduler and controllers. The test's
 * kubelet "runs" each scheduled pod as a NIM simulator on a loopback address
 * of its own, configured from the pod's environment, and reports it Ready;
 * the worker reaches it at `http://{podIP}:{port}` (KUBERNETES_ENDPOINT_TEMPLATE).
 */
describeK8s('deployment lifecycle on Kubernetes (real API server, NIM simulators as pods)', () => {
  let ns: TestNamespace;
  let kubelet: FakeKubelet;
  let apps: AppsV1Api;
  let plane: ControlPlane;
  let ws: string;
  let simPort = 0;
  let autopilot: NodeJS.Timeout | null = null;
  /** Pod name → the simulator that plays its container, and the pod IP it listens on. */
  const sims = new Map<string, { sim: TestSimulator; ip: string }>();
  const storageClass = `mp-test-${Date.now().toString(36)}`;
  const volumes: string[] = [];

  beforeAll(async () => {
    ns = await createTestNamespace('mp-life');
    if (!ns.fakeNodes) throw new Error('This suite plays the kubelet: it needs a cluster of fake nodes (k8s-envtest)');
    apps = ns.kubeConfig.makeApiClient(AppsV1Api);
    kubelet = new FakeKubelet(ns);
    kubelet.start();
    const probe = await startTestSimulator();
    simPort = probe.port;
    await probe.close();
    // Model caches: envtest has no provisioner, so the claims bind to volumes made here (by the real PV controller).
    for (let i = 0; i < 12; i++) {
      const name = `${ns.namespace}-cache-${i}`;
      await ns.core.createPersistentVolume({
        body: {
          metadata: { name, labels: { 'modelplane.io/test': 'true' } },
          spec: {
            capacity: { storage: '50Gi' },
            accessModes: ['ReadWriteOnce'],
            storageClassName: storageClass,
            persistentVolumeReclaimPolicy: 'Retain',
            hostPath: { path: `/tmp/${name}` },
          },
        },
      });
      volumes.push(name);
    }
    plane = await startControlPlane({
      MODELPLANE_RUNTIME: 'kubernetes',
      KUBERNETES_KUBECONFIG: cluster as string,
      KUBERNETES_NAMESPACE: ns.namespace,
      KUBERNETES_ENDPOINT_TEMPLATE: `http://{podIP}:${simPort}`,
      KUBERNETES_START_ERROR_GRACE_MS: '2000',
      ROLLOUT_MAKE_ROOM_AFTER_MS: '1500',
      // Above the scheduler's 10 s back-off cap: a pod that found no room is retried up to that long after
      // room is freed (seen: 1 to 1.2 s after, on a loaded machine), and the 4 s of FAST_LIFECYCLE left under 1 s.
      PENDING_TIMEOUT_MS: '12000',
    });
    ws = await newWorkspace(plane.api, 'k8s');
    autopilot = setInterval(() => void runScheduledPods(), 100);
  });

  // Independent, bounded steps: one that throws or hangs must not skip the ones after it (a simulator
  // left listening keeps Jest from exiting). The autopilot's round in flight may still start one.
  afterAll(async () => {
    stopping = true;
    if (autopilot) clearInterval(autopilot);
    await cleanUp(
      [
        ['the autopilot round in flight', () => round],
        ['the control plane', () => plane?.close()],
        ['the simulators', () => Promise.all([...sims.values()].map(({ sim }) => sim.close()))],
        ['the fake kubelet', () => kubelet?.stop()],
        ['the namespace', () => ns?.delete()],
        [
          'the volumes',
          () => Promise.all(volumes.map((name) => ns.core.deletePersistentVolume({ name }).catch(() => undefined))),
        ],
      ],
      { stepTimeoutMs: CLEAN_UP_STEP_MS },
    );
  }, 7 * CLEAN_UP_STEP_MS);

  /** Every scheduled pod without a status: start its "container" (a simulator with the pod's env) and report it Ready. */
  let round: Promise<void> | null = null;
  let stopping = false;
  const held = new Set<string>();
  function runScheduledPods(): void {
    round ??= playKubelet().finally(() => (round = null));
  }
  async function playKubelet(): Promise<void> {
    try {
      for (const pod of await kubelet.pods(`${LABELS.managedBy}=modelplane`)) {
        const name = pod.metadata!.name!;
        if (!pod.spec?.nodeName || pod.metadata?.deletionTimestamp || pod.status?.containerStatuses || held.has(name))
          continue;
        if (pod.spec.containers[0].image?.includes('/nope/')) {
          held.add(name); // an image that does not exist: the test scripts what the kubelet reports
          continue;
        }
        const env = Object.fromEntries(
          (pod.spec.containers[0].env ?? [])
            .filter((e) => e.value !== undefined)
            .map((e) => [e.name, e.value as string]),
        );
        if (stopping) return;
        // A status patch that failed is retried with the simulator already started: a second one
        // would replace it in the map, and the first, never closed, would keep Jest from exiting.
        let started = sims.get(name);
        if (!started) {
          const ip = kubelet.allocateIp();
          started = { sim: await startTestSimulator({ ...env, HOST: ip, PORT: String(simPort) }), ip };
          sims.set(name, started);
        }
        await kubelet.setContainer(pod, { state: 'running', ready: true }, started.ip);
      }
    } catch {
      // a pod went away between the list and the patch: the next round sees the truth
    }
  }

  /**
   * Waits until `name` serves `version` READY. Fails at once when the version goes FAILED, and
   * either way with the deployment's state (every version's status and history), so a failure
   * on CI says where the rollout stopped.
   */
  async function waitServing(name: string, version: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = (await plane.api.request('GET', `${base()}/deployments/${name}`)).body;
      if (d.entity_version === version && d.status === 'READY' && d.serving_version === version) return;
      const failed = d.entity_version === version && d.status === 'FAILED';
      if (failed || Date.now() > deadline) {
        const why = failed ? `version ${version} FAILED` : `not READY within ${timeoutMs} ms`;
        throw new Error(`${name} version ${version}: ${why}; the deployment:\n${await stateOf(name)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The deployment's versions and their status history, times relative to the first entry. */
  async function stateOf(name: string): Promise<string> {
    const versions = (await plane.api.request('GET', `${base()}/deployments/${name}/versions`)).body as VersionDto[];
    if (!Array.isArray(versions)) return JSON.stringify(versions);
    const t0 = Math.min(...versions.flatMap((v) => v.status_history.map((h) => Date.parse(h.timestamp))));
    return versions
      .map((v) =>
        [
          `v${v.entity_version} ${v.status}${v.status_reason ? ` (${v.status_reason})` : ''}`,
          ...v.status_history.map(
            (h) => `  +${((Date.parse(h.timestamp) - t0) / 1000).toFixed(2)} s ${h.status} ${h.status_message}`,
          ),
        ].join('\n'),
      )
      .join('\n');
  }

  const base = () => `/v2/workspaces/${ws}`;
  async function config(name: string, executor: Record<string, unknown> = {}) {
    const res = await plane.api.request('POST', `${base()}/deployment-configs`, {
      name,
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, k8s_nim_operator_config: { storage_class: storageClass }, ...executor },
    });
    expect(res.status).toBe(201);
  }
  async function deploy(name: string, configName = name) {
    const res = await plane.api.request('POST', `${base()}/deployments`, { name, config: configName });
    expect(res.status).toBe(201);
  }
  async function waitFor(name: string, statuses = 'READY,FAILED', timeout = 40) {
    const res = await plane.api.request('GET', `${base()}/deployments/${name}?wait_for=${statuses}&timeout=${timeout}`);
    expect(res.status).toBe(200);
    return res.body;
  }
  const selectorOf = (deployment: string) => `${LABELS.workspace}=${ws},${LABELS.deployment}=${deployment}`;

  it('goes READY on a GPU node, with the model cache claim bound, the provider published and inference routed', async () => {
    await config('happy');
    await deploy('happy');
    const ready = await waitFor('happy');
    expect(ready.status).toBe('READY');
    // PENDING may be recorded more than once: each new thing the instance waits on (the claim's binding, the scheduler) is an entry.
    const statuses = ready.status_history.map((h: { status: string }) => h.status);
    expect(statuses[0]).toBe('CREATED');
    expect(statuses.at(-1)).toBe('READY');
    expect(new Set(statuses.slice(1, -1))).toEqual(new Set(['PENDING']));

    const [pod] = (await kubelet.pods(selectorOf('happy'))).filter((p) => !p.metadata?.deletionTimestamp);
    expect(pod.spec?.nodeName).toBeTruthy();
    const claim = pod.spec?.volumes?.find((v) => v.name === 'model-cache')?.persistentVolumeClaim?.claimName;
    const pvc = await ns.core.readNamespacedPersistentVolumeClaim({ name: claim!, namespace: ns.namespace });
    expect(pvc.status?.phase).toBe('Bound');

    const provider = (await plane.api.request('GET', `${base()}/providers/happy`)).body;
    expect(provider).toMatchObject({ status: 'READY', host_url: `http://${pod.status?.podIP}:${simPort}` });
    const gateway = await createGateway(loadEnv(GatewayConfig, { DATABASE_URL: plane.env.DATABASE_URL }), {
      logger: false,
    });
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = gateway.getHttpServer().address() as { port: number };
      const answer = await eventually(async () => {
        const res = await fetch(
          `http://127.0.0.1:${address.port}/v2/workspaces/${ws}/inference/gateway/openai/-/v1/chat/completions`,
          {
            method: 'POST',
            headers: withAuth({ 'content-type': 'application/json' }),
            body: JSON.stringify({
              model: `${ws}/meta-llama-3.1-8b-instruct`,
              messages: [{ role: 'user', content: 'hi' }],
            }),
          },
        );
        return res.ok ? ((await res.json()) as { model: string }) : null;
      });
      expect(answer.model).toBe(`${ws}/meta-llama-3.1-8b-instruct`);
    } finally {
      await gateway.close();
    }
  });

  it('a pod deleted under a READY deployment: the ReplicaSet replaces it, the deployment comes back READY on the new pod', async () => {
    await config('phoenix');
    await deploy('phoenix');
    expect((await waitFor('phoenix')).status).toBe('READY');
    const [old] = await kubelet.pods(selectorOf('phoenix'));
    await ns.core.deleteNamespacedPod({ name: old.metadata!.name!, namespace: ns.namespace, gracePeriodSeconds: 0 });
    await sims.get(old.metadata!.name!)?.sim.close();

    const provider = await eventually(async () => {
      const p = (await plane.api.request('GET', `${base()}/providers/phoenix`)).body;
      return p.status === 'READY' && !p.host_url.includes(`${old.status?.podIP}:`) ? p : null;
    }, 30_000);
    const [replacement] = (await kubelet.pods(selectorOf('phoenix'))).filter((p) => !p.metadata?.deletionTimestamp);
    expect(replacement.metadata?.name).not.toBe(old.metadata?.name);
    expect(provider.host_url).toBe(`http://${replacement.status?.podIP}:${simPort}`);
    const history = (await waitFor('phoenix')).status_history.map((h: { status: string }) => h.status);
    expect(history.slice(-2)).toEqual(['PENDING', 'READY']);
  });

  it('rolls out a new version as a new Deployment; the old one is removed once the new one is READY', async () => {
    await config('roll');
    await deploy('roll');
    expect((await waitFor('roll')).status).toBe('READY');
    const v2 = await plane.api.request('POST', `${base()}/deployment-configs/roll`, {
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: {
        gpu: 1,
        additional_envs: { NIM_LOG_LEVEL: 'DEBUG' },
        k8s_nim_operator_config: { storage_class: storageClass },
      },
    });
    expect(v2.status).toBe(201);
    expect((await plane.api.request('POST', `${base()}/deployments/roll`, { config: 'roll' })).status).toBe(201);
    await eventually(async () => {
      const d = (await plane.api.request('GET', `${base()}/deployments/roll`)).body;
      return d.status === 'READY' && d.serving_version === 2;
    }, 30_000);
    await eventually(async () => {
      const list = await apps.listNamespacedDeployment({ namespace: ns.namespace, labelSelector: selectorOf('roll') });
      return list.items.length === 1 && list.items[0].metadata?.labels?.[LABELS.version] === '2';
    });
    const [pod] = (await kubelet.pods(`${selectorOf('roll')},${LABELS.version}=2`)) as V1Pod[];
    expect(pod.spec?.containers[0].env).toEqual(expect.arrayContaining([{ name: 'NIM_LOG_LEVEL', value: 'DEBUG' }]));
  });

  it('a rollout on GPUs that fit one copy: the serving version makes room, then the new one goes READY', async () => {
    const node = `${ns.namespace}-solo`;
    await kubelet.registerNode(node, 4);
    const executor = (envs: Record<string, string>) => ({
      gpu: 4,
      additional_envs: envs,
      k8s_nim_operator_config: {
        storage_class: storageClass,
        node_selector: { 'kubernetes.io/hostname': node },
        tolerations: [{ key: 'modelplane.io/test-node', operator: 'Equal', value: node, effect: 'NoSchedule' }],
      },
    });
    await config('solo', executor({}));
    await deploy('solo');
    expect((await waitFor('solo')).status).toBe('READY');
    const v2 = await plane.api.request('POST', `${base()}/deployment-configs/solo`, {
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: executor({ NIM_LOG_LEVEL: 'DEBUG' }),
    });
    expect(v2.status).toBe(201);
    expect((await plane.api.request('POST', `${base()}/deployments/solo`, { config: 'solo' })).status).toBe(201);
    // Takes 3 to 5 s here (make room after 1.5 s, the old pod's removal, the scheduler's back-off),
    // also with two CPU hogs running beside it.
    await waitServing('solo', 2, 40_000);
    const versions = (await plane.api.request('GET', `${base()}/deployments/solo/versions`)).body as VersionDto[];
    const v1 = versions.find((v) => v.entity_version === 1)!;
    expect(v1).toMatchObject({ status: 'DELETED', status_reason: 'make_room' });
    const stop = v1.status_history.find((h) => h.status === 'DELETING');
    expect(stop?.status_message).toMatch(/free its GPUs for version 2.*Insufficient nvidia\.com\/gpu/);
    const v2history = versions.find((v) => v.entity_version === 2)!.status_history;
    expect(v2history.some((h) => h.status_message.includes('Insufficient nvidia.com/gpu'))).toBe(true);
    const at = (v: VersionDto, status: string) =>
      Date.parse(v.status_history.find((h) => h.status === status)?.timestamp ?? '');
    const start = Date.parse(v2history[0].timestamp);
    const second = versions.find((v) => v.entity_version === 2)!;
    console.log(
      `[kubernetes-lifecycle] make room: version 1 stopped ${at(v1, 'DELETING') - start} ms after version 2 ` +
        `was created, gone at ${at(v1, 'DELETED') - start} ms; version 2 READY at ${at(second, 'READY') - start} ms`,
    );
  });

  it('unschedulable: PENDING with the scheduler’s message, then FAILED pending_timeout saying what to do', async () => {
    await config('huge', { gpu: 64 });
    await deploy('huge');
    const failed = await waitFor('huge', 'FAILED');
    expect(failed.status).toBe('FAILED');
    const pending = failed.status_history.find((h: { status: string; status_message: string }) =>
      h.status_message?.includes('Insufficient nvidia.com/gpu'),
    );
    expect(pending).toBeDefined();
    expect(failed.status_message).toMatch(
      /could not start within .*Insufficient nvidia\.com\/gpu.*lower executor_config\.gpu/s,
    );
  });

  it('an image that cannot be pulled: FAILED image_pull naming the image', async () => {
    await config('nopull', { image_name: 'nvcr.io/nim/nope/missing', image_tag: '0.0.0' });
    await deploy('nopull');
    const pod = await kubelet.waitForPod(selectorOf('nopull'), (p) => Boolean(p.spec?.nodeName));
    await kubelet.setContainer(pod, {
      state: 'waiting',
      reason: 'ErrImagePull',
      message: 'rpc error: code = NotFound desc = nvcr.io/nim/nope/missing:0.0.0: not found',
    });
    const failed = await waitFor('nopull', 'FAILED');
    expect(failed.status_reason).toBe('image_pull');
    expect(failed.status_message).toContain('ErrImagePull');
    expect(failed.status_message).toContain('nvcr.io/nim/nope/missing:0.0.0');
  });

  it('deleting a deployment removes every object it owns', async () => {
    await config('doomed');
    await deploy('doomed');
    expect((await waitFor('doomed')).status).toBe('READY');
    expect((await plane.api.request('DELETE', `${base()}/deployments/doomed`)).status).toBeLessThan(300);
    await waitFor('doomed', 'DELETED');
    const selector = selectorOf('doomed');
    const left = await Promise.all([
      apps.listNamespacedDeployment({ namespace: ns.namespace, labelSelector: selector }),
      apps.listNamespacedReplicaSet({ namespace: ns.namespace, labelSelector: selector }),
      ns.core.listNamespacedPod({ namespace: ns.namespace, labelSelector: selector }),
      ns.core.listNamespacedService({ namespace: ns.namespace, labelSelector: selector }),
      eventuallyEmpty(() =>
        ns.core.listNamespacedPersistentVolumeClaim({ namespace: ns.namespace, labelSelector: selector }),
      ),
    ]);
    expect(left.map((l) => l.items.length)).toEqual([0, 0, 0, 0, 0]);
  });

  it('team-x-a/llama and team-x/a-llama (one object name under the earlier scheme) both go READY on Deployments of their own', async () => {
    const team = uniqueName('team');
    const pairs = [
      { workspace: `${team}-a`, deployment: 'llama' },
      { workspace: team, deployment: 'a-llama' },
    ];
    for (const { workspace, deployment } of pairs) {
      expect((await plane.api.request('POST', '/v2/workspaces', { name: workspace })).status).toBe(201);
      const created = await plane.api.request('POST', `/v2/workspaces/${workspace}/deployment-configs`, {
        name: deployment,
        engine: 'nim',
        model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
        executor_config: { gpu: 1, k8s_nim_operator_config: { storage_class: storageClass } },
      });
      expect(created.status).toBe(201);
      const res = await plane.api.request('POST', `/v2/workspaces/${workspace}/deployments`, {
        name: deployment,
        config: deployment,
      });
      expect(res.status).toBe(201);
    }
    const ready = await Promise.all(
      pairs.map(async ({ workspace, deployment }) => {
        const res = await plane.api.request(
          'GET',
          `/v2/workspaces/${workspace}/deployments/${deployment}?wait_for=READY,FAILED&timeout=40`,
        );
        return res.body as { status: string; status_message: string };
      }),
    );
    expect(ready.map((d) => [d.status, d.status_message])).toEqual([
      ['READY', expect.any(String)],
      ['READY', expect.any(String)],
    ]);
    const owned = await Promise.all(
      pairs.map(async ({ workspace, deployment }) => {
        const selector = `${LABELS.workspace}=${workspace},${LABELS.deployment}=${deployment}`;
        const list = await apps.listNamespacedDeployment({ namespace: ns.namespace, labelSelector: selector });
        return list.items.map((d) => [d.metadata?.name, d.metadata?.annotations?.['modelplane.io/instance-id']]);
      }),
    );
    expect(owned).toEqual([
      [[`${team}-a--llama-v1`, `${team}-a.llama.v1`]],
      [[`${team}--a-llama-v1`, `${team}.a-llama.v1`]],
    ]);
    const hosts = await Promise.all(
      pairs.map(
        async ({ workspace, deployment }) =>
          (await plane.api.request('GET', `/v2/workspaces/${workspace}/providers/${deployment}`)).body.host_url,
      ),
    );
    expect(new Set(hosts).size).toBe(2);
  });

  it('a version whose object name is taken by an object Modelplane did not make FAILS naming it; the object is left alone', async () => {
    const name = `${ws}--squat-v1`;
    await ns.core.createNamespacedService({
      namespace: ns.namespace,
      body: { metadata: { name }, spec: { ports: [{ port: 80 }], selector: { app: 'someone-else' } } },
    });
    await config('squat');
    await deploy('squat');
    const failed = await waitFor('squat', 'FAILED');
    expect(failed.status).toBe('FAILED');
    expect(failed.status_message).toContain(
      `Kubernetes Service '${name}' in namespace '${ns.namespace}' already exists and was not created by Modelplane`,
    );
    const service = await ns.core.readNamespacedService({ name, namespace: ns.namespace });
    expect(service.spec?.selector).toEqual({ app: 'someone-else' });
    expect(service.metadata?.labels).toBeUndefined();
    const left = await apps.listNamespacedDeployment({ namespace: ns.namespace, labelSelector: selectorOf('squat') });
    expect(left.items).toHaveLength(0);
  });

  it('objects labelled as ours that no deployment owns are removed by the resync', async () => {
    await apps.createNamespacedDeployment({
      namespace: ns.namespace,
      body: {
        metadata: {
          name: 'stray',
          labels: { [LABELS.managedBy]: 'modelplane' },
          annotations: {
            'modelplane.io/instance-id': `${ws}.gone.v1`,
            'modelplane.io/workspace': ws,
            'modelplane.io/deployment': 'gone',
            'modelplane.io/version': '1',
          },
        },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'stray' } },
          template: { metadata: { labels: { app: 'stray' } }, spec: { containers: [{ name: 'x', image: 'x' }] } },
        },
      },
    });
    await eventually(async () => {
      const list = await apps.listNamespacedDeployment({
        namespace: ns.namespace,
        fieldSelector: 'metadata.name=stray',
      });
      return list.items.length === 0;
    }, 30_000);
  });
});

interface VersionDto {
  entity_version: number;
  status: string;
  status_reason?: string;
  status_history: { timestamp: string; status: string; status_message: string }[];
}

async function eventuallyEmpty<T extends { items: unknown[] }>(list: () => Promise<T>): Promise<T> {
  return eventually(async () => {
    const result = await list();
    return result.items.length === 0 ? result : null;
  }, 20_000);
}
