import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { podProgress } from './pod-progress.js';

const NOW = new Date('2026-12-03T08:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
const IMAGE = 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3';

function pod(extra: { nodeName?: string; status?: V1Pod['status'] } = {}): V1Pod {
  return {
    metadata: { name: 'nim-abc', uid: 'u1', creationTimestamp: ago(600) },
    spec: { nodeName: extra.nodeName, containers: [{ name: 'nim', image: IMAGE }] },
    status: extra.status,
  };
}

let seq = 0;
/** An event about the pod, first seen `firstS` and last `lastS` seconds ago; dates as a watch delivers them (strings). */
function event(reason: string, message: string, firstS: number, lastS = firstS, uid = 'u1'): CoreV1Event {
  return {
    metadata: { name: `nim-abc.${++seq}` },
    involvedObject: { kind: 'Pod', name: 'nim-abc', uid },
    reason,
    message,
    firstTimestamp: ago(firstS).toISOString() as unknown as Date,
    lastTimestamp: ago(lastS).toISOString() as unknown as Date,
  };
}

describe('podProgress', () => {
  it('an unschedulable pod: the scheduler message, since its first FailedScheduling', () => {
    const message = '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.';
    const p = podProgress(
      pod({ status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }] } }),
      [event('FailedScheduling', message, 90, 10)],
      NOW,
    );
    expect(p).toEqual({ phase: 'unschedulable', detail: message, since: ago(90) });
  });

  it('pulling: the image from the Pulling event, since the pull began; then creating once pulled', () => {
    const scheduled = event('Scheduled', 'Successfully assigned ns/nim-abc to gpu-1', 200);
    const pullingEvent = event('Pulling', `Pulling image "${IMAGE}"`, 192);
    expect(podProgress(pod({ nodeName: 'gpu-1' }), [pullingEvent, scheduled], NOW)).toEqual({
      phase: 'pulling',
      detail: IMAGE,
      since: ago(192),
    });
    const pulled = event('Pulled', `Successfully pulled image "${IMAGE}" in 3m`, 5);
    expect(podProgress(pod({ nodeName: 'gpu-1' }), [scheduled, pullingEvent, pulled], NOW)).toMatchObject({
      phase: 'creating',
      detail: 'nim',
      since: ago(5),
    });
  });

  it('events of the same second follow the kubelet order; an earlier pod of the same name is ignored', () => {
    const events = [event('Pulling', `Pulling image "${IMAGE}"`, 3), event('Scheduled', 'assigned', 3)];
    expect(podProgress(pod({ nodeName: 'gpu-1' }), events, NOW)?.phase).toBe('pulling');
    // The scheduler's eventTime has microseconds, the kubelet's lastTimestamp whole seconds: the same second is a tie.
    const scheduledLater: CoreV1Event = {
      ...event('Scheduled', 'assigned', 3),
      firstTimestamp: undefined,
      lastTimestamp: undefined,
      eventTime: new Date(Math.floor(NOW.getTime() / 1000) * 1000 - 3000 + 660).toISOString() as unknown as Date,
    };
    const pullingEvent = event('Pulling', `Pulling image "${IMAGE}"`, 3);
    expect(podProgress(pod({ nodeName: 'gpu-1' }), [pullingEvent, scheduledLater], NOW)?.phase).toBe('pulling');
    const stale = [event('BackOff', 'Back-off restarting failed container', 1, 1, 'old-uid')];
    expect(podProgress(pod({ nodeName: 'gpu-1' }), [...events, ...stale], NOW)?.phase).toBe('pulling');
  });

  it('a running container that is not ready waits for readiness: model loading while the probe answers 503', () => {
    const running = pod({
      nodeName: 'gpu-1',
      status: {
        containerStatuses: [
          {
            name: 'nim',
            image: IMAGE,
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { running: { startedAt: ago(360).toISOString() as unknown as Date } },
          },
        ],
      },
    });
    expect(podProgress(running, [event('Started', 'Started container nim', 360)], NOW)).toEqual({
      phase: 'readiness',
      detail: 'server starting',
      since: ago(360),
    });
    const probe = event('Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 300, 2);
    expect(podProgress(running, [probe], NOW)).toEqual({
      phase: 'readiness',
      detail: 'model loading',
      since: ago(360),
    });
  });

  it('a volume that does not mount, and a back-off, say so with the kubelet message', () => {
    const mount = event('FailedMount', 'MountVolume.SetUp failed for volume "model-cache": timed out', 40, 4);
    expect(podProgress(pod({ nodeName: 'gpu-1' }), [event('Scheduled', 'assigned', 50), mount], NOW)).toEqual({
      phase: 'mounting',
      detail: 'MountVolume.SetUp failed for volume "model-cache": timed out',
      since: ago(40),
    });
    const backOff = event('BackOff', 'Back-off restarting failed container nim in pod nim-abc', 20, 1);
    expect(podProgress(pod({ nodeName: 'gpu-1' }), [mount, backOff], NOW)?.phase).toBe('backoff');
  });

  it('scheduled without a word from the kubelet yet; nothing known before the scheduler decides', () => {
    expect(podProgress(pod({ nodeName: 'gpu-1' }), [], NOW)).toEqual({
      phase: 'scheduled',
      detail: 'gpu-1',
      since: ago(600),
    });
    expect(podProgress(pod(), [], NOW)).toBeUndefined();
  });
});
