import { AppsV1Api, type V1Pod } from '@kubernetes/client-node';
import { startTestSimulator, type TestSimulator } from '../apps/nim-sim/src/simulator.harness.js';
import { LABELS } from '#runtime';
import { cleanUp, createTestNamespace, FakeKubelet, testKubeconfigPath, type TestNamespace } from '#testing';
import { newWorkspace, type ApiResponse } from './api-harness.js';
import { eventually, startControlPlane, type ControlPlane } from './worker-harness.js';

/** Bound of each teardown step: the namespace's alone may take 20 s (its pods are force-deleted for up to that). */
const CLEAN_UP_STEP_MS = 30_000;
/** For the spec's afterAll: every step of close() at its bound. */
export const CLOSE_TIMEOUT_MS = 7 * CLEAN_UP_STEP_MS;

/** A version as GET …/deployments/{name}/versions returns it (the fields the suite reads). */
export interface VersionDto {
  entity_version: number;
  status: string;
  status_reason?: string;
  status_history: { timestamp: string; status: string; status_message: string }[];
}

/**
 * The whole control plane on Kubernetes: the API, a worker with
 * MODELPLANE_RUNTIME=kubernetes (built from its environment, as in
 * production), a real API server, scheduler and controllers. The test's
 * kubelet "runs" each scheduled pod as a NIM simulator on a loopback address
 * of its own, configured from the pod's environment, and reports it Ready;
 * the worker reaches it at `http://{podIP}:{port}` (KUBERNETES_ENDPOINT_TEMPLATE).
 *
 * Made before the suite and started in its beforeAll, so close() (its
 * afterAll) also cleans up after a start that failed half way.
 */
export class KubernetesLifecycle {
  ns!: TestNamespace;
  kubelet!: FakeKubelet;
  apps!: AppsV1Api;
  plane!: ControlPlane;
  /** The suite's workspace. */
  ws!: string;
  /** The port every simulator listens on, each on its pod's IP. */
  simPort = 0;
  /** Pod name → the simulator that plays its container, and the pod IP it listens on. */
  readonly sims = new Map<string, { sim: TestSimulator; ip: string }>();
  /** The model caches' storage class: the claims bind to the volumes made in start(). */
  readonly storageClass = `mp-test-${Date.now().toString(36)}`;
  private readonly volumes: string[] = [];
  private autopilot: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopping = false;
  /** Pods the kubelet leaves alone: the test scripts what is reported for them. */
  private readonly held = new Set<string>();
  /** Deployments whose pods the kubelet leaves alone until the test runs them (runPod). */
  private readonly heldDeployments = new Set<string>();

  /** `env` configures the worker beyond the suite's settings. */
  async start(env: Record<string, string> = {}): Promise<void> {
    this.ns = await createTestNamespace('mp-life');
    const { ns } = this;
    if (!ns.fakeNodes) throw new Error('This suite plays the kubelet: it needs a cluster of fake nodes (k8s-envtest)');
    this.apps = ns.kubeConfig.makeApiClient(AppsV1Api);
    this.kubelet = new FakeKubelet(ns);
    this.kubelet.start();
    const probe = await startTestSimulator();
    this.simPort = probe.port;
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
            storageClassName: this.storageClass,
            persistentVolumeReclaimPolicy: 'Retain',
            hostPath: { path: `/tmp/${name}` },
          },
        },
      });
      this.volumes.push(name);
    }
    this.plane = await startControlPlane({
      MODELPLANE_RUNTIME: 'kubernetes',
      KUBERNETES_KUBECONFIG: testKubeconfigPath() as string,
      KUBERNETES_NAMESPACE: ns.namespace,
      KUBERNETES_ENDPOINT_TEMPLATE: `http://{podIP}:${this.simPort}`,
      KUBERNETES_START_ERROR_GRACE_MS: '2000',
      ROLLOUT_MAKE_ROOM_AFTER_MS: '1500',
      // Above the scheduler's 10 s back-off cap: a pod that found no room is retried up to that long after
      // room is freed (seen: 1 to 1.2 s after, on a loaded machine), and the 4 s of FAST_LIFECYCLE left under 1 s.
      PENDING_TIMEOUT_MS: '12000',
      ...env,
    });
    this.ws = await newWorkspace(this.plane.api, 'k8s');
    this.autopilot = setInterval(() => this.runScheduledPods(), 100);
  }

  /**
   * Independent, bounded steps: one that throws or hangs must not skip the ones after it (a simulator
   * left listening keeps Jest from exiting). The autopilot's round in flight may still start one.
   */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.autopilot) clearInterval(this.autopilot);
    await cleanUp(
      [
        ['the autopilot round in flight', () => this.round],
        ['the control plane', () => this.plane?.close()],
        ['the simulators', () => Promise.all([...this.sims.values()].map(({ sim }) => sim.close()))],
        ['the fake kubelet', () => this.kubelet?.stop()],
        ['the namespace', () => this.ns?.delete()],
        [
          'the volumes',
          () =>
            Promise.all(
              this.volumes.map((name) => this.ns.core.deletePersistentVolume({ name }).catch(() => undefined)),
            ),
        ],
      ],
      { stepTimeoutMs: CLEAN_UP_STEP_MS },
    );
  }

  /** The suite workspace's API path. */
  base(): string {
    return `/v2/workspaces/${this.ws}`;
  }

  /** Label selector of a deployment's Kubernetes objects in the suite workspace. */
  selectorOf(deployment: string): string {
    return `${LABELS.workspace}=${this.ws},${LABELS.deployment}=${deployment}`;
  }

  /** Creates a NIM config on one GPU with the model cache on the suite's storage class; `executor` overrides. */
  async config(name: string, executor: Record<string, unknown> = {}): Promise<void> {
    const res = await this.plane.api.request('POST', `${this.base()}/deployment-configs`, {
      name,
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: { gpu: 1, k8s_nim_operator_config: { storage_class: this.storageClass }, ...executor },
    });
    expect(res.status).toBe(201);
  }

  async deploy(name: string, configName = name): Promise<void> {
    const res = await this.plane.api.request('POST', `${this.base()}/deployments`, { name, config: configName });
    expect(res.status).toBe(201);
  }

  /** The deployment once its status is one of `statuses` (the API's wait_for, `timeout` in seconds). */
  async waitFor(name: string, statuses = 'READY,FAILED', timeout = 40): Promise<ApiResponse['body']> {
    const res = await this.plane.api.request(
      'GET',
      `${this.base()}/deployments/${name}?wait_for=${statuses}&timeout=${timeout}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  }

  /**
   * Waits until `name` serves `version` READY. Fails at once when the version goes FAILED, and
   * either way with the deployment's state (every version's status and history), so a failure
   * on CI says where the rollout stopped.
   */
  async waitServing(name: string, version: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = (await this.plane.api.request('GET', `${this.base()}/deployments/${name}`)).body;
      if (d.entity_version === version && d.status === 'READY' && d.serving_version === version) return;
      const failed = d.entity_version === version && d.status === 'FAILED';
      if (failed || Date.now() > deadline) {
        const why = failed ? `version ${version} FAILED` : `not READY within ${timeoutMs} ms`;
        throw new Error(`${name} version ${version}: ${why}; the deployment:\n${await this.stateOf(name)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The deployment's versions and their status history, times relative to the first entry. */
  private async stateOf(name: string): Promise<string> {
    const versions = (await this.plane.api.request('GET', `${this.base()}/deployments/${name}/versions`))
      .body as VersionDto[];
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

  /** Every scheduled pod without a status: start its "container" (a simulator with the pod's env) and report it Ready. */
  private runScheduledPods(): void {
    this.round ??= this.playKubelet().finally(() => (this.round = null));
  }

  private async playKubelet(): Promise<void> {
    try {
      for (const pod of await this.kubelet.pods(`${LABELS.managedBy}=modelplane`)) {
        const name = pod.metadata!.name!;
        if (
          !pod.spec?.nodeName ||
          pod.metadata?.deletionTimestamp ||
          pod.status?.containerStatuses ||
          this.held.has(name)
        )
          continue;
        if (
          pod.spec.containers[0].image?.includes('/nope/') ||
          this.heldDeployments.has(pod.metadata?.labels?.[LABELS.deployment] ?? '')
        ) {
          this.held.add(name); // an image that does not exist, or a start the test scripts step by step
          continue;
        }
        if (this.stopping) return;
        await this.runPod(pod);
      }
    } catch {
      // a pod went away between the list and the patch: the next round sees the truth
    }
  }

  /** Leaves the pods of `deployment` (in the suite workspace) to the test, which reports their progress itself. */
  hold(deployment: string): void {
    this.heldDeployments.add(deployment);
  }

  /**
   * Runs the pod's "container": a simulator with the pod's env on an address of its own (`ip`, when the
   * test already reported the pod running there), reported Ready.
   */
  async runPod(pod: V1Pod, ip?: string): Promise<void> {
    const name = pod.metadata!.name!;
    const env = Object.fromEntries(
      (pod.spec!.containers[0].env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]),
    );
    // A status patch that failed is retried with the simulator already started: a second one
    // would replace it in the map, and the first, never closed, would keep Jest from exiting.
    let started = this.sims.get(name);
    if (!started) {
      const host = ip ?? this.kubelet.allocateIp();
      started = { sim: await startTestSimulator({ ...env, HOST: host, PORT: String(this.simPort) }), ip: host };
      this.sims.set(name, started);
    }
    await this.kubelet.setContainer(pod, { state: 'running', ready: true }, started.ip);
  }
}

/** Waits (up to 20 s) until `list` returns no items. */
export async function eventuallyEmpty<T extends { items: unknown[] }>(list: () => Promise<T>): Promise<T> {
  return eventually(async () => {
    const result = await list();
    return result.items.length === 0 ? result : null;
  }, 20_000);
}
