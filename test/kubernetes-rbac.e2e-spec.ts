import { jest } from '@jest/globals';
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { projectRoot } from '#db';
import { compileInstanceSpec, KubernetesRuntime, LABELS, workloadName } from '#runtime';
import { createTestNamespace, describeWithCluster, FakeKubelet, testClusterMode, type TestNamespace } from '#testing';
import { eventually } from './worker-harness.js';

jest.setTimeout(60_000);

const describeK8s = describeWithCluster(describe, 'kubernetes-rbac');
/** The cycle scripts the kubelet (a crash loop whose log is read): envtest only. */
const itScripted = testClusterMode() === 'envtest' ? it : it.skip;

/**
 * The worker's Role in k8s/base/rbac.yaml, enforced by the real API server's
 * RBAC: the runtime runs its whole cycle under the ServiceAccount's own token
 * (so the Role grants enough), and the token is refused what the worker has
 * no business doing (so it grants no more).
 */
describeK8s('the worker’s Role (k8s/base/rbac.yaml) under real RBAC', () => {
  let ns: TestNamespace;
  let kubelet: FakeKubelet;
  let asWorker: KubeConfig;

  beforeAll(async () => {
    ns = await createTestNamespace('mp-rbac');
    kubelet = new FakeKubelet(ns);
    if (testClusterMode() === 'envtest') kubelet.start();
    const objects = parseAllDocuments(readFileSync(join(projectRoot(), 'k8s/base/rbac.yaml'), 'utf8'))
      .map((doc) => doc.toJSON() as KubernetesObject)
      .filter(Boolean);
    const admin = KubernetesObjectApi.makeApiClient(ns.kubeConfig);
    for (const object of objects) {
      await admin.patch(
        { ...object, metadata: { ...object.metadata, namespace: ns.namespace } },
        undefined,
        undefined,
        'modelplane-test',
        true,
        PatchStrategy.ServerSideApply,
      );
    }
    // A token for the ServiceAccount through the TokenRequest API (no token Secrets on clusters since 1.24).
    const request = await ns.core.createNamespacedServiceAccountToken({
      name: 'modelplane-worker',
      namespace: ns.namespace,
      body: { spec: { audiences: [], expirationSeconds: 3600 } },
    });
    const token = request.status!.token;
    const server = ns.kubeConfig.getCurrentCluster()!;
    asWorker = new KubeConfig();
    asWorker.loadFromOptions({
      clusters: [{ name: 'test', server: server.server, caData: server.caData, caFile: server.caFile }],
      users: [{ name: 'worker', token }],
      contexts: [{ name: 'worker', cluster: 'test', user: 'worker', namespace: ns.namespace }],
      currentContext: 'worker',
    });
  });

  afterAll(async () => {
    await kubelet?.stop();
    await ns?.delete();
  });

  itScripted('is enough for the whole cycle: list and watch, apply, observe, read a log, delete', async () => {
    const runtime = new KubernetesRuntime({
      kubeConfig: asWorker,
      namespace: ns.namespace,
      modelCache: 'empty-dir',
      logger: { log: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) },
    });
    try {
      await runtime.init();
      const spec = compileInstanceSpec(
        { workspace: 'rbac', deployment: 'llama', version: 1 },
        {
          engine: 'nim',
          modelEntityId: null,
          modelSpec: { model_name: 'm' },
          executorConfig: { gpu: 1, disk_size: '10Gi' },
        },
      );
      await runtime.apply(spec);
      const name = workloadName('rbac', 'llama', 1);
      const pod = await kubelet.waitForPod(`${LABELS.instance}=${name}`, (p) => Boolean(p.spec?.nodeName));
      await kubelet.setContainer(pod, {
        state: 'waiting',
        reason: 'CrashLoopBackOff',
        restartCount: 3,
        lastTerminated: { reason: 'Error', exitCode: 1 },
      });
      const failed = await eventually(async () => {
        const obs = await runtime.observe(spec.instanceId);
        return obs.phase === 'failed' ? obs : null;
      });
      // The log request is authorized (pods/log); whether a kubelet answers is another matter here.
      expect(failed.logTail.join('\n')).not.toMatch(/forbidden|HTTP 403/i);
      await runtime.delete(spec.instanceId);
      await eventually(async () => (await runtime.observe(spec.instanceId)).phase === 'missing');
    } finally {
      await runtime.close();
    }
  });

  it('grants nothing more: no Secrets, no other namespace, no nodes, no pod deletion', async () => {
    const core = asWorker.makeApiClient(CoreV1Api);
    const refused = async (call: Promise<unknown>) => {
      const error = (await call.then(
        () => null,
        (e: unknown) => e,
      )) as { code?: number } | null;
      return error?.code;
    };
    expect(await refused(core.listNamespacedSecret({ namespace: ns.namespace }))).toBe(403);
    expect(await refused(core.listNamespacedPod({ namespace: 'default' }))).toBe(403);
    expect(await refused(core.listNode())).toBe(403);
    expect(await refused(core.deleteCollectionNamespacedPod({ namespace: ns.namespace }))).toBe(403);
    expect(await refused(core.listNamespacedPod({ namespace: ns.namespace }))).toBeUndefined();
  });
});
