import { jest } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { GatewayConfig, loadEnv } from '#config';
import { LABELS } from '#runtime';
import { createGateway } from '../apps/gateway/src/gateway.factory.js';
import { describeWithCluster, testClusterMode } from '#testing';
import { uniqueName, withAuth } from './api-harness.js';
import {
  CLOSE_TIMEOUT_MS,
  eventuallyEmpty,
  KubernetesLifecycle,
  type VersionDto,
} from './kubernetes-lifecycle.harness.js';
import { eventually } from './worker-harness.js';
import { SILENT } from './log-capture.js';

jest.setTimeout(120_000);

/** The test's kubelet runs each pod as a simulator on this machine: envtest only. */
const describeK8s =
  testClusterMode() === 'envtest' ? describeWithCluster(describe, 'kubernetes-lifecycle') : describe.skip;

/** The whole control plane on Kubernetes; see KubernetesLifecycle for who plays what. */
describeK8s('deployment lifecycle on Kubernetes (real API server, NIM simulators as pods)', () => {
  const k8s = new KubernetesLifecycle();
  beforeAll(() => k8s.start());
  afterAll(() => k8s.close(), CLOSE_TIMEOUT_MS);

  it('goes READY on a GPU node, with the model cache claim bound, the provider published and inference routed', async () => {
    await k8s.config('happy');
    await k8s.deploy('happy');
    const ready = await k8s.waitFor('happy');
    expect(ready.status).toBe('READY');
    // PENDING may be recorded more than once: each new thing the instance waits on (the claim's binding, the scheduler) is an entry.
    const statuses = ready.status_history.map((h: { status: string }) => h.status);
    expect(statuses[0]).toBe('CREATED');
    expect(statuses.at(-1)).toBe('READY');
    expect(new Set(statuses.slice(1, -1))).toEqual(new Set(['PENDING']));

    const [pod] = (await k8s.kubelet.pods(k8s.selectorOf('happy'))).filter((p) => !p.metadata?.deletionTimestamp);
    expect(pod.spec?.nodeName).toBeTruthy();
    const claim = pod.spec?.volumes?.find((v) => v.name === 'model-cache')?.persistentVolumeClaim?.claimName;
    const pvc = await k8s.ns.core.readNamespacedPersistentVolumeClaim({ name: claim!, namespace: k8s.ns.namespace });
    expect(pvc.status?.phase).toBe('Bound');

    const provider = (await k8s.plane.api.request('GET', `${k8s.base()}/providers/happy`)).body;
    expect(provider).toMatchObject({ status: 'READY', host_url: `http://${pod.status?.podIP}:${k8s.simPort}` });
    const gateway = await createGateway(loadEnv(GatewayConfig, { DATABASE_URL: k8s.plane.env.DATABASE_URL }), {
      log: SILENT,
    });
    await gateway.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = gateway.getHttpServer().address() as { port: number };
      const answer = await eventually(async () => {
        const res = await fetch(
          `http://127.0.0.1:${address.port}/v2/workspaces/${k8s.ws}/inference/gateway/openai/-/v1/chat/completions`,
          {
            method: 'POST',
            headers: withAuth({ 'content-type': 'application/json' }),
            body: JSON.stringify({
              model: `${k8s.ws}/meta-llama-3.1-8b-instruct`,
              messages: [{ role: 'user', content: 'hi' }],
            }),
          },
        );
        return res.ok ? ((await res.json()) as { model: string }) : null;
      });
      expect(answer.model).toBe(`${k8s.ws}/meta-llama-3.1-8b-instruct`);
    } finally {
      await gateway.close();
    }
  });

  it('a pod deleted under a READY deployment: the ReplicaSet replaces it, the deployment comes back READY on the new pod', async () => {
    await k8s.config('phoenix');
    await k8s.deploy('phoenix');
    expect((await k8s.waitFor('phoenix')).status).toBe('READY');
    const [old] = await k8s.kubelet.pods(k8s.selectorOf('phoenix'));
    await k8s.ns.core.deleteNamespacedPod({
      name: old.metadata!.name!,
      namespace: k8s.ns.namespace,
      gracePeriodSeconds: 0,
    });
    await k8s.sims.get(old.metadata!.name!)?.sim.close();

    const provider = await eventually(async () => {
      const p = (await k8s.plane.api.request('GET', `${k8s.base()}/providers/phoenix`)).body;
      return p.status === 'READY' && !p.host_url.includes(`${old.status?.podIP}:`) ? p : null;
    }, 30_000);
    const [replacement] = (await k8s.kubelet.pods(k8s.selectorOf('phoenix'))).filter(
      (p) => !p.metadata?.deletionTimestamp,
    );
    expect(replacement.metadata?.name).not.toBe(old.metadata?.name);
    expect(provider.host_url).toBe(`http://${replacement.status?.podIP}:${k8s.simPort}`);
    const history = (await k8s.waitFor('phoenix')).status_history.map((h: { status: string }) => h.status);
    expect(history.slice(-2)).toEqual(['PENDING', 'READY']);
  });

  it('rolls out a new version as a new Deployment; the old one is removed once the new one is READY', async () => {
    await k8s.config('roll');
    await k8s.deploy('roll');
    expect((await k8s.waitFor('roll')).status).toBe('READY');
    const v2 = await k8s.plane.api.request('POST', `${k8s.base()}/deployment-configs/roll`, {
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: {
        gpu: 1,
        additional_envs: { NIM_LOG_LEVEL: 'DEBUG' },
        k8s_nim_operator_config: { storage_class: k8s.storageClass },
      },
    });
    expect(v2.status).toBe(201);
    expect((await k8s.plane.api.request('POST', `${k8s.base()}/deployments/roll`, { config: 'roll' })).status).toBe(
      201,
    );
    await eventually(async () => {
      const d = (await k8s.plane.api.request('GET', `${k8s.base()}/deployments/roll`)).body;
      return d.status === 'READY' && d.serving_version === 2;
    }, 30_000);
    await eventually(async () => {
      const list = await k8s.apps.listNamespacedDeployment({
        namespace: k8s.ns.namespace,
        labelSelector: k8s.selectorOf('roll'),
      });
      return list.items.length === 1 && list.items[0].metadata?.labels?.[LABELS.version] === '2';
    });
    const [pod] = (await k8s.kubelet.pods(`${k8s.selectorOf('roll')},${LABELS.version}=2`)) as V1Pod[];
    expect(pod.spec?.containers[0].env).toEqual(expect.arrayContaining([{ name: 'NIM_LOG_LEVEL', value: 'DEBUG' }]));
  });

  it('a rollout on GPUs that fit one copy: the serving version makes room, then the new one goes READY', async () => {
    const node = `${k8s.ns.namespace}-solo`;
    await k8s.kubelet.registerNode(node, 4);
    const executor = (envs: Record<string, string>) => ({
      gpu: 4,
      additional_envs: envs,
      k8s_nim_operator_config: {
        storage_class: k8s.storageClass,
        node_selector: { 'kubernetes.io/hostname': node },
        tolerations: [{ key: 'modelplane.io/test-node', operator: 'Equal', value: node, effect: 'NoSchedule' }],
      },
    });
    await k8s.config('solo', executor({}));
    await k8s.deploy('solo');
    expect((await k8s.waitFor('solo')).status).toBe('READY');
    const v2 = await k8s.plane.api.request('POST', `${k8s.base()}/deployment-configs/solo`, {
      engine: 'nim',
      model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
      executor_config: executor({ NIM_LOG_LEVEL: 'DEBUG' }),
    });
    expect(v2.status).toBe(201);
    expect((await k8s.plane.api.request('POST', `${k8s.base()}/deployments/solo`, { config: 'solo' })).status).toBe(
      201,
    );
    // Takes 3 to 5 s here (make room after 1.5 s, the old pod's removal, the scheduler's back-off),
    // also with two CPU hogs running beside it.
    await k8s.waitServing('solo', 2, 40_000);
    const versions = (await k8s.plane.api.request('GET', `${k8s.base()}/deployments/solo/versions`))
      .body as VersionDto[];
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
    await k8s.config('huge', { gpu: 64 });
    await k8s.deploy('huge');
    const failed = await k8s.waitFor('huge', 'FAILED');
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
    await k8s.config('nopull', { image_name: 'nvcr.io/nim/nope/missing', image_tag: '0.0.0' });
    await k8s.deploy('nopull');
    const pod = await k8s.kubelet.waitForPod(k8s.selectorOf('nopull'), (p) => Boolean(p.spec?.nodeName));
    await k8s.kubelet.setContainer(pod, {
      state: 'waiting',
      reason: 'ErrImagePull',
      message: 'rpc error: code = NotFound desc = nvcr.io/nim/nope/missing:0.0.0: not found',
    });
    const failed = await k8s.waitFor('nopull', 'FAILED');
    expect(failed.status_reason).toBe('image_pull');
    expect(failed.status_message).toContain('ErrImagePull');
    expect(failed.status_message).toContain('nvcr.io/nim/nope/missing:0.0.0');
  });

  it('deleting a deployment removes every object it owns', async () => {
    await k8s.config('doomed');
    await k8s.deploy('doomed');
    expect((await k8s.waitFor('doomed')).status).toBe('READY');
    expect((await k8s.plane.api.request('DELETE', `${k8s.base()}/deployments/doomed`)).status).toBeLessThan(300);
    await k8s.waitFor('doomed', 'DELETED');
    const selector = k8s.selectorOf('doomed');
    const left = await Promise.all([
      k8s.apps.listNamespacedDeployment({ namespace: k8s.ns.namespace, labelSelector: selector }),
      k8s.apps.listNamespacedReplicaSet({ namespace: k8s.ns.namespace, labelSelector: selector }),
      k8s.ns.core.listNamespacedPod({ namespace: k8s.ns.namespace, labelSelector: selector }),
      k8s.ns.core.listNamespacedService({ namespace: k8s.ns.namespace, labelSelector: selector }),
      eventuallyEmpty(() =>
        k8s.ns.core.listNamespacedPersistentVolumeClaim({ namespace: k8s.ns.namespace, labelSelector: selector }),
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
      expect((await k8s.plane.api.request('POST', '/v2/workspaces', { name: workspace })).status).toBe(201);
      const created = await k8s.plane.api.request('POST', `/v2/workspaces/${workspace}/deployment-configs`, {
        name: deployment,
        engine: 'nim',
        model_spec: { model_namespace: 'meta', model_name: 'llama-3.1-8b-instruct' },
        executor_config: { gpu: 1, k8s_nim_operator_config: { storage_class: k8s.storageClass } },
      });
      expect(created.status).toBe(201);
      const res = await k8s.plane.api.request('POST', `/v2/workspaces/${workspace}/deployments`, {
        name: deployment,
        config: deployment,
      });
      expect(res.status).toBe(201);
    }
    const ready = await Promise.all(
      pairs.map(async ({ workspace, deployment }) => {
        const res = await k8s.plane.api.request(
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
        const list = await k8s.apps.listNamespacedDeployment({ namespace: k8s.ns.namespace, labelSelector: selector });
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
          (await k8s.plane.api.request('GET', `/v2/workspaces/${workspace}/providers/${deployment}`)).body.host_url,
      ),
    );
    expect(new Set(hosts).size).toBe(2);
  });

  it('a version whose object name is taken by an object Modelplane did not make FAILS naming it; the object is left alone', async () => {
    const name = `${k8s.ws}--squat-v1`;
    await k8s.ns.core.createNamespacedService({
      namespace: k8s.ns.namespace,
      body: { metadata: { name }, spec: { ports: [{ port: 80 }], selector: { app: 'someone-else' } } },
    });
    await k8s.config('squat');
    await k8s.deploy('squat');
    const failed = await k8s.waitFor('squat', 'FAILED');
    expect(failed.status).toBe('FAILED');
    expect(failed.status_message).toContain(
      `Kubernetes Service '${name}' in namespace '${k8s.ns.namespace}' already exists and was not created by Modelplane`,
    );
    const service = await k8s.ns.core.readNamespacedService({ name, namespace: k8s.ns.namespace });
    expect(service.spec?.selector).toEqual({ app: 'someone-else' });
    expect(service.metadata?.labels).toBeUndefined();
    const left = await k8s.apps.listNamespacedDeployment({
      namespace: k8s.ns.namespace,
      labelSelector: k8s.selectorOf('squat'),
    });
    expect(left.items).toHaveLength(0);
  });

  it('objects labelled as ours that no deployment owns are removed by the resync', async () => {
    await k8s.apps.createNamespacedDeployment({
      namespace: k8s.ns.namespace,
      body: {
        metadata: {
          name: 'stray',
          labels: { [LABELS.managedBy]: 'modelplane' },
          annotations: {
            'modelplane.io/instance-id': `${k8s.ws}.gone.v1`,
            'modelplane.io/workspace': k8s.ws,
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
      const list = await k8s.apps.listNamespacedDeployment({
        namespace: k8s.ns.namespace,
        fieldSelector: 'metadata.name=stray',
      });
      return list.items.length === 0;
    }, 30_000);
  });
});
