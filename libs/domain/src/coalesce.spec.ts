import { CoalescedTask } from './coalesce.js';

describe('CoalescedTask', () => {
  it('runs once more after a run for every burst of calls made during it, and shares the promise', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const task = new CoalescedTask(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    });
    const first = task.run();
    const second = task.run();
    const third = task.run();
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(task.pending).toBe(first);
    release();
    await first;
    expect(runs).toBe(2);
    expect(task.pending).toBeNull();
    await task.run();
    expect(runs).toBe(3);
  });

  it('stops looping once stopped, and a failed run ends the loop with its error', async () => {
    let runs = 0;
    let stopped = false;
    const task = new CoalescedTask(
      async () => {
        runs++;
        stopped = true;
        await Promise.resolve();
      },
      () => stopped,
    );
    const run = task.run();
    void task.run();
    await run;
    expect(runs).toBe(1);
    const failing = new CoalescedTask(() => Promise.reject(new Error('boom')));
    await expect(failing.run()).rejects.toThrow('boom');
    expect(failing.pending).toBeNull();
  });
});
