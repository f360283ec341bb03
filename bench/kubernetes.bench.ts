/**
 * Kubernetes runtime benchmark, against the k8s-envtest control plane (real
 * API server, scheduler and controllers; a fake kubelet marks pods Ready
 * through the status subresource). For each N of BENCH_SIZES, in a fresh
 * namespace: apply N instances (BENCH_CONCURRENCY at a time), wait until the
 * runtime reports every one ready, read each one's state with `observe` (the
 * informer cache) and, as the baseline in the same run, the way a runtime
 * without informers has to (GET the Deployment and the Service, LIST the
 * pods: three requests), then delete all and wait until nothing is left.
 * Prints latencies, their ratio, and the runtime's CPU per instance.
 *
 *   npm run bench:kubernetes                 # needs ../shared/tools/k8s-envtest built (setup.sh)
 *   BENCH_SIZES=20,100 node dist/bench/kubernetes.bench.js
 *
 * Knobs: BENCH_SIZES (20,100), BENCH_CONCURRENCY (16), BENCH_OBSERVE_ROUNDS (5),
 * MODELPLANE_TEST_KUBECONFIG (another kubelet-free cluster), K8S_DIR, K8S_ENVTEST_TOOLS.
 */
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '#db';
import { compileInstanceSpec, KubernetesRuntime, LABELS, MANAGED_BY, workloadName, type InstanceSpec } from '#runtime';
import { createTestNamespace, FakeKubelet } from '#testing';
const SIZES = (process.env.BENCH_SIZES ?? '20,100').split(',').map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_OBSERVE_ROUNDS ?? 5);

function startEnvtest(): void {
  if (process.env.MODELPLANE_TEST_KUBECONFIG) return;
  const tools = process.env.K8S_ENVTEST_TOOLS ?? join(projectRoot(), '..', 'shared', 'tools', 'k8s-envtest');
  const env = { ...process.env, K8S_DIR: process.env.K8S_DIR ?? join(homedir(), '.cache', 'k8s-envtest') };
  const kubeconfig = execFileSync(join(tools, 'start.sh'), {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // Enough GPUs for every size at once: the benchmark measures the control plane, not a full cluster.
  const gpus = String(Math.max(...SIZES));
  for (const node of BENCH_NODES)
    execFileSync(join(tools, 'add-gpu-node.sh'), [node, gpus, '3600'], { env, stdio: 'ignore' });
  process.env.MODELPLANE_TEST_KUBECONFIG = kubeconfig.trim(); // handed to #testing
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function run(n: number): Promise<Record<string, number>> {
  const ns = await createTestNamespace('mp-bench');
  const kubelet = new FakeKubelet(ns);
  kubelet.start();
  const runtime = new KubernetesRuntime({
    kubeConfig: ns.kubeConfig,
    namespace: ns.namespace,
    modelCache: 'empty-dir',
    logger: { log: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) },
  });
  await runtime.init();
  const apps = ns.kubeConfig.makeApiClient(AppsV1Api);
  const core = ns.kubeConfig.makeApiClient(CoreV1Api);
  const specs: InstanceSpec[] = Array.from({ length: n }, (_, i) =>
    compileInstanceSpec(
      { workspace: 'bench', deployment: `m${i}`, version: 1 },
      {
        engine: 'nim',
        modelEntityId: null,
        modelSpec: { model_name: 'meta/llama-3.1-8b-instruct' },
        executorConfig: { gpu: 1, disk_size: '10Gi' },
      },
    ),
  );
  const appliedAt = new Map<string, number>();
  const readyAfter = new Map<string, number>();
  const allReady = new Promise<void>((resolve) => {
    runtime.watch((event) => {
      if (event.change !== 'ready' || readyAfter.has(event.instanceId)) return;
      readyAfter.set(event.instanceId, performance.now() - (appliedAt.get(event.instanceId) ?? 0));
      if (readyAfter.size === n) resolve();
    });
  });
  // The kubelet's part: every scheduled pod without a status is reported running and Ready.
  let marking = false;
  const marked = new Set<string>();
  const kubeletLoop = setInterval(() => {
    if (marking) return;
    marking = true;
    void kubelet
      .pods(`${LABELS.managedBy}=${MANAGED_BY}`)
      .then(async (pods: V1Pod[]) => {
        const todo = pods.filter((p) => p.spec?.nodeName && !marked.has(p.metadata!.name!));
        await pool(todo, 16, async (pod) => {
          marked.add(pod.metadata!.name!);
          await kubelet.setContainer(pod, { state: 'running', ready: true }, '10.1.0.1');
        });
      })
      .catch(() => undefined)
      .finally(() => (marking = false));
  }, 50);

  const cpu0 = cpuMs();
  const t0 = performance.now();
  const applyMs: number[] = [];
  await pool(specs, CONCURRENCY, async (spec) => {
    const start = performance.now();
    appliedAt.set(spec.instanceId, start);
    await runtime.apply(spec);
    applyMs.push(performance.now() - start);
  });
  const appliedAll = performance.now() - t0;
  await allReady;
  const readyAll = performance.now() - t0;
  const cpuApply = cpuMs() - cpu0;
  clearInterval(kubeletLoop);

  const cached: number[] = [];
  const direct: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const spec of specs) {
      let start = performance.now();
      const obs = await runtime.observe(spec.instanceId);
      cached.push(performance.now() - start);
      if (obs.phase !== 'ready') throw new Error(`${spec.instanceId} is ${obs.phase}`);
      const name = workloadName(spec.workspace, spec.deployment, spec.version);
      start = performance.now();
      await Promise.all([
        apps.readNamespacedDeployment({ name, namespace: ns.namespace }),
        core.readNamespacedService({ name, namespace: ns.namespace }),
        core.listNamespacedPod({ namespace: ns.namespace, labelSelector: `${LABELS.instance}=${name}` }),
      ]);
      direct.push(performance.now() - start);
    }
  }

  const cpu1 = cpuMs();
  const d0 = performance.now();
  await pool(specs, CONCURRENCY, (spec) => runtime.delete(spec.instanceId));
  for (;;) {
    const left = (await runtime.list()).length;
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const deleteAll = performance.now() - d0;
  const cpuDelete = cpuMs() - cpu1;
  await runtime.close();
  await kubelet.stop();
  await ns.delete();
  const ready = [...readyAfter.values()];
  return {
    n,
    applyAllS: appliedAll / 1000,
    applyP50: pct(applyMs, 50),
    applyP99: pct(applyMs, 99),
    readyAllS: readyAll / 1000,
    readyP50: pct(ready, 50),
    readyP99: pct(ready, 99),
    observeP50: pct(cached, 50),
    observeP99: pct(cached, 99),
    directP50: pct(direct, 50),
    directP99: pct(direct, 99),
    cpuPerInstance: (cpuApply + cpuDelete) / n,
    deleteAllS: deleteAll / 1000,
  };
}

const BENCH_NODES = ['bench-gpu-a', 'bench-gpu-b'];

/** The benchmark's nodes go with it: with their many GPUs they would change what other runs can schedule. */
async function removeNodes(): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(process.env.MODELPLANE_TEST_KUBECONFIG as string);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  for (const name of BENCH_NODES) await core.deleteNode({ name }).catch(() => undefined);
}

async function main(): Promise<void> {
  startEnvtest();
  const rows: Record<string, number>[] = [];
  try {
    for (const n of SIZES) {
      rows.push(await run(n));
      console.log(JSON.stringify(rows.at(-1)));
    }
  } finally {
    await removeNodes();
  }
  const f = (v: number, d = 2) => v.toFixed(d);
  console.log('\nKubernetes runtime against k8s-envtest (fake kubelet marks pods Ready)');
  console.log(
    '| N | apply all | apply p50/p99 ms | all ready | apply→ready p50/p99 ms | observe (cache) p50/p99 ms | baseline (3 requests) p50/p99 ms | ratio p50 | runtime CPU ms/instance | delete all |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.n} | ${f(r.applyAllS)} s | ${f(r.applyP50, 1)} / ${f(r.applyP99, 1)} | ${f(r.readyAllS)} s | ${f(r.readyP50, 0)} / ${f(r.readyP99, 0)} | ` +
        `${f(r.observeP50, 3)} / ${f(r.observeP99, 3)} | ${f(r.directP50)} / ${f(r.directP99)} | ${f(r.directP50 / r.observeP50, 0)}× | ` +
        `${f(r.cpuPerInstance, 1)} | ${f(r.deleteAllS)} s |`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
