import type { V1ContainerStatus, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { instanceStatus, type InstanceObjects, type StatusInput } from './instance-status.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const annotations = {
  'modelplane.io/workspace': 'team',
  'modelplane.io/deployment': 'llama',
  'modelplane.io/version': '2',
  'modelplane.io/instance-id': 'team.llama.v2',
  'modelplane.io/spec-hash': 'abc',
};
const deployment: V1Deployment = { metadata: { name: 'team-llama-v2', annotations }, spec: { replicas: 1 } as never };

function pod(name: string, status: V1Pod['status'], extra: Partial<V1Pod['metadata']> = {}): V1Pod {
  return {
    metadata: { name, uid: `uid-${name}`, annotations, creationTimestamp: new Date(NOW.getTime() - 60_000), ...extra },
    spec: {
      nodeName: 'gpu-1',
      containers: [
        {
          name: 'nim',
          image: 'nvcr.io/nim/x:1',
          readinessProbe: { httpGet: { path: '/v1/health/ready', port: 8000 } },
        },
      ],
    },
    status,
  };
}

function container(state: V1ContainerStatus['state'], more: Partial<V1ContainerStatus> = {}): V1Pod['status'] {
  return {
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containerStatuses: [
      { name: 'nim', image: 'nvcr.io/nim/x:1', imageID: '', ready: false, restartCount: 0, state, ...more },
    ],
  };
}

function input(over: Partial<StatusInput> = {}): StatusInput {
  return {
    now: NOW,
    settings: { crashLoopRestarts: 3, startErrorGraceMs: 60_000 },
    stuckSince: () => NOW,
    endpoint: (objects, ready) => `http://${ready.status?.podIP}:8000`,
    deleting: false,
    ...over,
  };
}

const objects = (over: Partial<InstanceObjects>): InstanceObjects => ({
  instanceId: 'team.llama.v2',
  pods: [],
  ...over,
});

describe('instanceStatus', () => {
  it('no objects: missing; a Service or claim without its Deployment: missing too, so applying completes it', () => {
    expect(instanceStatus(objects({}), input()).observation.phase).toBe('missing');
    const partial = instanceStatus(objects({ service: { metadata: { name: 's', annotations } } }), input()).observation;
    expect(partial).toMatchObject({ phase: 'missing', workspace: 'team', deployment: 'llama', version: 2 });
    expect(partial.message).toContain('Service');
  });

  it('terminating while we delete, while the Deployment is being deleted, or while pods outlive a deleted Deployment', () => {
    const running = pod('p', container({ running: {} }));
    expect(instanceStatus(objects({ deployment }), input({ deleting: true })).observation.phase).toBe('terminating');
    const going = { ...deployment, metadata: { ...deployment.metadata, deletionTimestamp: NOW } };
    expect(instanceStatus(objects({ deployment: going }), input()).observation.phase).toBe('terminating');
    expect(instanceStatus(objects({ pods: [running] }), input()).observation.phase).toBe('terminating');
  });

  it('pending before any pod, before scheduling, and with the scheduler’s message when unschedulable', () => {
    expect(instanceStatus(objects({ deployment }), input()).observation).toMatchObject({
      phase: 'pending',
      message: expect.stringContaining('Deployment controller'),
    });
    const unschedulable = pod('p', {
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.',
        },
      ],
    });
    unschedulable.spec!.nodeName = undefined;
    expect(instanceStatus(objects({ deployment, pods: [unschedulable] }), input()).observation).toMatchObject({
      phase: 'pending',
      reason: 'insufficient_capacity',
      message: 'Unschedulable: 0/2 nodes are available: 2 Insufficient nvidia.com/gpu.',
    });
  });

  it('a container the kubelet cannot create (a missing Secret) waits out the grace period, then fails start_failed', () => {
    const stuck = pod(
      'p',
      container({ waiting: { reason: 'CreateContainerConfigError', message: 'secret "ngc-api" not found' } }),
    );
    const early = instanceStatus(
      objects({ deployment, pods: [stuck] }),
      input({ stuckSince: () => new Date(NOW.getTime() - 10_000) }),
    );
    expect(early.observation).toMatchObject({ phase: 'pending', reason: 'start_failed' });
    const late = instanceStatus(
      objects({ deployment, pods: [stuck] }),
      input({ stuckSince: () => new Date(NOW.getTime() - 61_000) }),
    );
    expect(late.observation).toMatchObject({ phase: 'failed', reason: 'start_failed' });
    expect(late.observation.message).toContain('secret "ngc-api" not found');
    expect(late.observation.message).toContain('NGC_API_KEY comes from a Secret');
  });

  it('an invalid image name fails at once (retrying cannot help)', () => {
    const bad = pod(
      'p',
      container({ waiting: { reason: 'InvalidImageName', message: "couldn't parse image reference" } }),
    );
    expect(instanceStatus(objects({ deployment, pods: [bad] }), input()).observation).toMatchObject({
      phase: 'failed',
      reason: 'image_pull',
    });
  });

  it('a running container that restarted: starting, with the log of the previous run; at the threshold: crash_loop', () => {
    const restarted = pod(
      'p',
      container(
        { running: { startedAt: NOW } },
        { restartCount: 1, lastState: { terminated: { exitCode: 2, reason: 'Error' } } },
      ),
    );
    const status = instanceStatus(objects({ deployment, pods: [restarted] }), input());
    expect(status.observation).toMatchObject({ phase: 'starting', restarts: 1 });
    expect(status.observation.message).toContain('restarted 1×, last Error, exit code 2');
    expect(status.logFrom).toMatchObject({ container: 'nim', previous: true });

    const looping = pod(
      'p',
      container({ running: {} }, { restartCount: 3, lastState: { terminated: { exitCode: 1 } } }),
    );
    expect(instanceStatus(objects({ deployment, pods: [looping] }), input()).observation).toMatchObject({
      phase: 'failed',
      reason: 'crash_loop',
    });
  });

  it('ready when any live pod is Ready: endpoint from that pod, and how many of the replicas are', () => {
    const ready = pod('a', {
      ...container({ running: { startedAt: NOW } }, { ready: true }),
      podIP: '10.0.0.7',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: NOW }],
    });
    const starting = pod('b', container({ running: {} }));
    const two = { ...deployment, spec: { ...deployment.spec, replicas: 2 } } as V1Deployment;
    const obs = instanceStatus(objects({ deployment: two, pods: [starting, ready] }), input()).observation;
    expect(obs).toMatchObject({
      phase: 'ready',
      endpoint: 'http://10.0.0.7:8000',
      message: '1/2 pods ready',
      readySince: NOW,
      specHash: 'abc',
    });
  });

  it('a terminating pod does not count: its successor is what is reported', () => {
    const old = pod(
      'old',
      { ...container({ running: {} }, { ready: true }), conditions: [{ type: 'Ready', status: 'True' }] },
      { deletionTimestamp: NOW },
    );
    const next = pod('new', container({ waiting: { reason: 'ContainerCreating' } }));
    expect(instanceStatus(objects({ deployment, pods: [old, next] }), input()).observation).toMatchObject({
      phase: 'pending',
      message: 'ContainerCreating on gpu-1',
    });
  });
});

describe('instanceStatus with init containers', () => {
  it('an init container stuck on its image or crashing speaks for the pod', () => {
    const status = (state: V1ContainerStatus['state'], restartCount = 0): V1Pod['status'] => ({
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      initContainerStatuses: [
        { name: 'lora-cache-init', image: 'nvcr.io/nim/x:1', imageID: '', ready: false, restartCount, state },
      ],
      containerStatuses: [
        {
          name: 'nim',
          image: 'nvcr.io/nim/x:1',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'PodInitializing' } },
        },
      ],
    });
    const pulling = pod('p', status({ waiting: { reason: 'InvalidImageName', message: 'bad' } }));
    expect(instanceStatus(objects({ deployment, pods: [pulling] }), input()).observation).toMatchObject({
      phase: 'failed',
      reason: 'image_pull',
    });
    const crashing = pod('p', status({ waiting: { reason: 'CrashLoopBackOff' } }, 4));
    const failed = instanceStatus(objects({ deployment, pods: [crashing] }), input());
    expect(failed.observation).toMatchObject({ phase: 'failed', reason: 'crash_loop' });
    expect(failed.logFrom?.container).toBe('lora-cache-init');
    const done = pod('p', {
      ...status({ terminated: { exitCode: 0 } }),
      containerStatuses: [
        { name: 'nim', image: 'x', imageID: '', ready: false, restartCount: 0, state: { running: { startedAt: NOW } } },
      ],
    });
    expect(instanceStatus(objects({ deployment, pods: [done] }), input()).observation.phase).toBe('starting');
  });
});

describe('instanceStatus: what counts as a shortage', () => {
  it('a node selector or taint nothing satisfies is unschedulable, but not insufficient_capacity', () => {
    const unmatched = pod('p', {
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity.",
        },
      ],
    });
    unmatched.spec!.nodeName = undefined;
    const obs = instanceStatus(objects({ deployment, pods: [unmatched] }), input()).observation;
    expect(obs.phase).toBe('pending');
    expect(obs.reason).toBeUndefined();
    expect(obs.message).toContain("didn't match Pod's node affinity");
  });
});
