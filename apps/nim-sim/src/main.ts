/**
 * The simulator as a process, started by the local runtime with the
 * environment a NIM container would get. Exit codes: 0 after SIGTERM/SIGINT,
 * 1 when it cannot start (SIM_FAIL_AT_START, a port in use), 2 for a bad
 * configuration, 3 for a simulated crash (SIM_CRASH_AFTER_MS).
 */
import { loadSimConfig, SimConfigError, type SimConfig } from './sim.config.js';
import { startSimulator, stdoutLine } from './simulator.server.js';

function fail(code: number, line: string): never {
  // stderr is synchronous for files and pipes on Linux, so the line is out before the exit.
  process.stderr.write(line + '\n');
  process.exit(code);
}

function readConfig(): SimConfig {
  try {
    // The simulator is shipped on its own and reads NIM's environment as a container would: this is its one read.
    // eslint-disable-next-line no-restricted-syntax
    return loadSimConfig(process.env);
  } catch (error) {
    if (error instanceof SimConfigError) fail(2, `nim-sim: ${error.message}`);
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config.failAtStart !== null) fail(1, config.failAtStart);

  const starting = startSimulator(config);

  // Handlers go in before the first line is printed: a runtime may signal the moment it sees "ready".
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(0); // a second signal: the caller has stopped waiting
    stopping = true;
    stdoutLine(`nim-sim: ${signal} received, shutting down`);
    setTimeout(() => {
      void starting
        .then((simulator) => simulator.close())
        .then(() => {
          stdoutLine('nim-sim: stopped');
          process.exit(0);
        });
    }, config.exitOnSigtermDelayMs);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await starting;
  if (config.crashAfterMs !== null) {
    const after = config.crashAfterMs;
    setTimeout(() => fail(3, `nim-sim: simulated crash after ${after} ms (SIM_CRASH_AFTER_MS)`), after);
  }
}

main().catch((error: unknown) =>
  fail(1, `nim-sim: cannot start: ${error instanceof Error ? error.message : String(error)}`),
);
