/**
 * A test suite's teardown as independent steps, each bounded: a step that
 * throws or hangs is reported, and the steps after it still run. One close
 * that failed used to skip the rest of an afterAll, and what it skipped (a
 * listening server) kept Jest from exiting until CI's own timeout.
 */
export type CleanUpStep = readonly [name: string, run: () => Promise<unknown> | unknown];

export async function cleanUp(steps: readonly CleanUpStep[], { stepTimeoutMs = 20_000 } = {}): Promise<void> {
  const failures: string[] = [];
  for (const [name, run] of steps) {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`did not finish within ${stepTimeoutMs} ms`)), stepTimeoutMs);
      timer.unref(); // the bound itself must never be what keeps the process alive
    });
    try {
      await Promise.race([Promise.resolve().then(run), bound]);
    } catch (error) {
      failures.push(`${name}: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  if (failures.length > 0) throw new Error(`Clean-up steps failed (the others ran):\n${failures.join('\n')}`);
}
