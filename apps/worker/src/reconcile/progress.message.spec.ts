import { formatDuration, progressMessage, progressPhaseOf } from './progress.message.js';

describe('progress messages', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [12_400, '12s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [192_000, '3m12s'],
    [360_000, '6m'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h'],
    [3_840_000, '1h4m'],
    [3_845_000, '1h4m'],
    [26 * 3_600_000, '26h'],
    [-5000, '0s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('says what the instance waits on and for how long, in words that name the phase', () => {
    const now = new Date('2026-12-03T08:00:00Z');
    const since = (s: number) => new Date(now.getTime() - s * 1000);
    const image = 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3';
    expect(progressMessage({ phase: 'pulling', detail: image, since: since(192) }, now)).toBe(
      `Pulling image ${image}, 3m12s`,
    );
    expect(progressMessage({ phase: 'readiness', detail: 'model loading', since: since(360) }, now)).toBe(
      'Waiting for readiness: model loading, 6m',
    );
    const unschedulable = '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.';
    expect(progressMessage({ phase: 'unschedulable', detail: unschedulable, since: since(5) }, now)).toBe(
      `Unschedulable: ${unschedulable}, 5s`,
    );
    expect(progressMessage({ phase: 'starting', detail: 'loading weights 37%', since: since(12) }, now)).toBe(
      'Starting: loading weights 37%, 12s',
    );
  });

  it('reads the phase back from a stored message; any other message has none', () => {
    expect(progressPhaseOf('Pulling image nvcr.io/x:1, 4s')).toBe('pulling');
    expect(progressPhaseOf('Waiting for readiness: model loading, 6m')).toBe('readiness');
    expect(progressPhaseOf('Unschedulable: 0/3 nodes are available, 1m')).toBe('unschedulable');
    // The message a version gets when it goes PENDING: a local start continues it without a history entry.
    expect(progressPhaseOf('Starting instance')).toBe('starting');
    expect(progressPhaseOf('Starting: nim-sim: loading, 3s')).toBe('starting');
    expect(progressPhaseOf('Waiting to start: 0/1 GPUs free; needs 1')).toBeNull();
    expect(progressPhaseOf('The instance stopped serving')).toBeNull();
  });
});
