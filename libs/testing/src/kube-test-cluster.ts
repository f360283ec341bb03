/**
 * Kubernetes for the tests: a real API server (the k8s-envtest control plane
 * that test/global-setup starts, or any cluster named by
 * MODELPLANE_TEST_KUBECONFIG), a namespace per test file, and a fake kubelet
 * that plays the only part the envtest cluster lacks: it writes pod status
 * through the status subresource (Ready, waiting reasons, restarts,
 * OOMKilled) and the Events a kubelet records about a pod, finishes the
 * deletion of terminating pods, and serves container logs over HTTPS to the
 * API server, as a kubelet does.
 */
import {
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1ContainerStatus,
  type V1Pod,
  type V1PodStatus,
} from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The kubeconfig the tests use, or null when there is no cluster (the Kubernetes suites are then skipped). */
export function testKubeconfigPath(): string | null {
  return process.env.MODELPLANE_TEST_KUBECONFIG || null;
}

/**
 * `envtest` when the test setup started k8s-envtest (or MODELPLANE_TEST_CLUSTER=envtest says the
 * cluster has no kubelet): the tests play the kubelet. `cluster` otherwise: real kubelets run the pods.
 */
export function testClusterMode(): 'envtest' | 'cluster' {
  return process.env.MODELPLANE_TEST_CLUSTER === 'envtest' ? 'envtest' : 'cluster';
}

/** True when CI demands the Kubernetes suites (a missing cluster fails them instead of skipping). */
export function kubernetesRequired(): boolean {
  return process.env.MODELPLANE_REQUIRE_K8S === '1';
}

/**
 * Jest's `describe` for a Kubernetes suite: as is when a test cluster is available; else `describe.skip`
 * with a warning, or an error when CI demands the suites (MODELPLANE_REQUIRE_K8S=1).
 */
export function describeWithCluster<D extends { skip: unknown }>(describe: D, suite: string): D | D['skip'] {
  if (testKubeconfigPath()) return describe;
  if (kubernetesRequired()) throw new Error(`${suite}: MODELPLANE_REQUIRE_K8S=1 but no test cluster is available`);
  console.warn(
    `${suite} skipped: no cluster (build ../shared/tools/k8s-envtest with its setup.sh, or set MODELPLANE_TEST_KUBECONFIG)`,
  );
  return describe.skip;
}

export interface TestNamespace {
  kubeConfig: KubeConfig;
  namespace: string;
  core: CoreV1Api;
  /** True when the nodes are envtest's fake nodes (no kubelet): the tests then play the kubelet. */
  fakeNodes: boolean;
  delete(): Promise<void>;
}

export async function createTestNamespace(prefix = 'mp-test'): Promise<TestNamespace> {
  const path = testKubeconfigPath();
  if (!path) throw new Error('No test cluster: set MODELPLANE_TEST_KUBECONFIG or build k8s-envtest');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(path);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const namespace = `${prefix}-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name: namespace, labels: { 'modelplane.io/test': 'true' } } } });
  // NIM pods take NGC_API_KEY from this Secret; without it a real kubelet refuses to create their containers.
  await core.createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'ngc-api' }, stringData: { NGC_API_KEY: 'not-a-key: the test images do not use it' } },
  });
  const nodes = await core.listNode();
  const fakeNodes =
    nodes.items.length > 0 &&
    nodes.items.every((n) => n.metadata?.annotations?.['k8s-envtest/fake-node'] !== undefined);
  return {
    kubeConfig,
    namespace,
    core,
    fakeNodes,
    delete: async () => {
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
      if (fakeNodes) await forceDeletePods(core, namespace);
    },
  };
}

/**
 * Without a kubelet, pods bound to a node stay Terminating for ever and keep
 * holding their GPUs for the scheduler: remove them as a kubelet would.
 */
async function forceDeletePods(core: CoreV1Api, namespace: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const pods = (await core.listNamespacedPod({ namespace }).catch(() => ({ items: [] as V1Pod[] }))).items;
    if (pods.length === 0) return;
    await Promise.all(
      pods.map((pod) =>
        core
          .deleteNamespacedPod({ name: pod.metadata!.name!, namespace, gracePeriodSeconds: 0 })
          .catch(() => undefined),
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface ContainerScript {
  /** `running` (optionally ready), `waiting` with a reason, or `terminated`. */
  state: 'running' | 'waiting' | 'terminated';
  ready?: boolean;
  reason?: string;
  message?: string;
  restartCount?: number;
  /** The previous run's end, e.g. `{ reason: 'OOMKilled', exitCode: 137 }`. */
  lastTerminated?: { reason: string; exitCode: number };
  exitCode?: number;
}

/**
 * Plays the kubelet for one namespace: the test says what each pod's
 * container does; the fake kubelet writes it as the pod's status. It also
 * deletes pods that are terminating (a kubelet does once the containers
 * stopped), and serves `containerLogs` for the API server's pods/log.
 */
export class FakeKubelet {
  private readonly core: CoreV1Api;
  private timer: NodeJS.Timeout | null = null;
  private finalizing: Promise<void> | null = null;
  private server: Server | null = null;
  private certDir: string | null = null;
  /** `pod/container` → the log text the kubelet serves (previous and current alike). */
  readonly logs = new Map<string, string>();
  private nextIp = 10;

  constructor(private readonly ns: TestNamespace) {
    this.core = ns.core;
  }

  private readonly nodes = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;

  /**
   * Registers a node of this test's own, as a kubelet does: `gpus` of `nvidia.com/gpu`, tainted
   * `modelplane.io/test-node=<name>:NoSchedule` so only pods that tolerate it land there, kept Ready
   * by a heartbeat. Resolves once the scheduler may use it.
   */
  async registerNode(name: string, gpus: number): Promise<void> {
    const resources = { cpu: '64', memory: '512Gi', pods: '110', 'nvidia.com/gpu': String(gpus) };
    await this.core.createNode({
      body: {
        metadata: {
          name,
          labels: { 'kubernetes.io/hostname': name, 'nvidia.com/gpu.present': 'true' },
          annotations: { 'k8s-envtest/fake-node': 'modelplane FakeKubelet' },
        },
        spec: { taints: [{ key: 'modelplane.io/test-node', value: name, effect: 'NoSchedule' }] },
      },
    });
    this.nodes.add(name);
    await this.core.patchNodeStatus(
      { name, body: { status: { capacity: resources, allocatable: resources, conditions: [this.readyCondition()] } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    this.heartbeat ??= setInterval(() => void this.beat(), 5000);
    this.heartbeat.unref();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const node = await this.core.readNode({ name });
      if (!node.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready')) return;
      if (Date.now() > deadline) throw new Error(`node ${name} kept its not-ready taint`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private readyCondition() {
    const now = new Date().toISOString() as unknown as Date;
    return { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'FakeKubelet', lastHeartbeatTime: now };
  }

  private async beat(): Promise<void> {
    for (const name of this.nodes) {
      await this.core
        .patchNodeStatus(
          { name, body: { status: { conditions: [this.readyCondition()] } } },
          setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
        )
        .catch(() => undefined);
    }
  }

  /** Starts finishing terminating pods (every 200 ms). */
  start(): void {
    this.timer = setInterval(() => {
      this.finalizing ??= this.finalizeTerminating().finally(() => (this.finalizing = null));
    }, 200);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const name of this.nodes) await this.core.deleteNode({ name }).catch(() => undefined);
    await this.finalizing;
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (this.certDir) rmSync(this.certDir, { recursive: true, force: true });
  }

  async pods(labelSelector?: string): Promise<V1Pod[]> {
    const list = await this.core.listNamespacedPod({ namespace: this.ns.namespace, labelSelector });
    return list.items;
  }

  /** Waits for a pod matching the selector (and the predicate), scheduled or not. */
  async waitForPod(
    labelSelector: string,
    predicate: (pod: V1Pod) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<V1Pod> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pod = (await this.pods(labelSelector)).find((p) => !p.metadata?.deletionTimestamp && predicate(p));
      if (pod) return pod;
      if (Date.now() > deadline) throw new Error(`No pod matching ${labelSelector} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A loopback address of its own for each pod, so a simulator can listen on the port the endpoint names. */
  allocateIp(): string {
    return `127.0.0.${this.nextIp++}`;
  }

  /** Writes the container's state as the pod's status (phase, conditions, container status, pod IP). */
  async setContainer(pod: V1Pod, script: ContainerScript, podIp?: string): Promise<void> {
    const container = pod.spec!.containers[0];
    const now = new Date().toISOString();
    const ready = script.state === 'running' && script.ready === true;
    const containerStatus: V1ContainerStatus = {
      name: container.name,
      image: container.image ?? '',
      imageID: '',
      ready,
      started: script.state === 'running',
      restartCount: script.restartCount ?? 0,
      state:
        script.state === 'running'
          ? { running: { startedAt: now as unknown as Date } }
          : script.state === 'waiting'
            ? { waiting: { reason: script.reason, message: script.message } }
            : {
                terminated: {
                  reason: script.reason ?? 'Error',
                  exitCode: script.exitCode ?? 1,
                  finishedAt: now as unknown as Date,
                },
              },
      ...(script.lastTerminated
        ? {
            lastState: {
              terminated: {
                reason: script.lastTerminated.reason,
                exitCode: script.lastTerminated.exitCode,
                finishedAt: now as unknown as Date,
              },
            },
          }
        : {}),
    };
    const status: V1PodStatus = {
      phase: script.state === 'running' ? 'Running' : 'Pending',
      ...(podIp ? { podIP: podIp, podIPs: [{ ip: podIp }] } : {}),
      startTime: now as unknown as Date,
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now as unknown as Date },
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now as unknown as Date },
      ],
      containerStatuses: [containerStatus],
    };
    await this.core.patchNamespacedPodStatus(
      { name: pod.metadata!.name!, namespace: this.ns.namespace, body: { status } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
  }

  /**
   * Records an Event about the pod as a kubelet does (core/v1, `source.component: kubelet`): `Pulling`,
   * `Started`, `Unhealthy`, `FailedMount`… `firstSeen` backdates the first occurrence (a pull that began
   * a while ago); `count` above 1 says it repeated until now.
   */
  async recordEvent(
    pod: V1Pod,
    event: { reason: string; message: string; type?: 'Normal' | 'Warning'; firstSeen?: Date; count?: number },
  ): Promise<void> {
    const now = new Date();
    await this.core.createNamespacedEvent({
      namespace: this.ns.namespace,
      body: {
        metadata: { name: `${pod.metadata!.name}.${randomBytes(6).toString('hex')}` },
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata!.name,
          namespace: this.ns.namespace,
          uid: pod.metadata!.uid,
          fieldPath: `spec.containers{${pod.spec!.containers[0].name}}`,
        },
        reason: event.reason,
        message: event.message,
        type: event.type ?? 'Normal',
        source: { component: 'kubelet', host: pod.spec?.nodeName },
        firstTimestamp: event.firstSeen ?? now,
        lastTimestamp: now,
        count: event.count ?? 1,
      },
    });
  }

  /**
   * Serves container logs as a kubelet does (`GET /containerLogs/{ns}/{pod}/{container}`,
   * HTTPS with a certificate from the cluster's CA) and points the node at this server,
   * so the API server's pods/log reaches it. Needs the envtest CA key (`K8S_DIR/pki`).
   */
  async serveLogs(nodeName: string, pkiDir: string): Promise<void> {
    this.certDir = mkdtempSync(join(tmpdir(), 'fake-kubelet-'));
    const key = join(this.certDir, 'kubelet.key');
    const csr = join(this.certDir, 'kubelet.csr');
    const crt = join(this.certDir, 'kubelet.crt');
    const ext = join(this.certDir, 'ext.cnf');
    execFileSync(
      'openssl',
      ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${nodeName}`],
      { stdio: 'ignore' },
    );
    execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:${nodeName}\\n' > ${ext}`]);
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        join(pkiDir, 'ca.crt'),
        '-CAkey',
        join(pkiDir, 'ca.key'),
        '-CAcreateserial',
        '-CAserial',
        join(this.certDir, 'ca.srl'),
        '-out',
        crt,
        '-days',
        '1',
        '-extfile',
        ext,
      ],
      { stdio: 'ignore' },
    );
    this.server = createServer({ key: readFileSync(key), cert: readFileSync(crt) }, (req, res) => {
      const url = new URL(req.url ?? '/', 'https://kubelet');
      const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      const text = match ? this.logs.get(`${match[2]}/${match[3]}`) : undefined;
      if (text === undefined) {
        res.writeHead(404).end('not found');
        return;
      }
      const tail = Number(url.searchParams.get('tailLines') ?? 0);
      const lines = text.split('\n');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(tail > 0 ? lines.slice(-tail).join('\n') : text);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as { port: number }).port;
    await this.core.patchNodeStatus(
      {
        name: nodeName,
        body: {
          status: {
            // Only an IP: the API server dials the first of Hostname, InternalDNS, InternalIP… it finds.
            addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
            daemonEndpoints: { kubeletEndpoint: { Port: port } },
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  private async finalizeTerminating(): Promise<void> {
    try {
      for (const pod of await this.pods()) {
        if (!pod.metadata?.deletionTimestamp) continue;
        await this.core
          .deleteNamespacedPod({ name: pod.metadata.name!, namespace: this.ns.namespace, gracePeriodSeconds: 0 })
          .catch(() => undefined);
      }
    } catch {
      // the namespace may be going away
    }
  }
}
