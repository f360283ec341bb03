/**
 * Runs the simulator in-process on a free port, for tests here and for
 * tests that use it as an upstream. Log lines are collected, not printed.
 */
import { loadSimConfig, type Env } from './sim.config.js';
import { startSimulator } from './simulator.server.js';

export interface TestSimulator {
  url: string;
  port: number;
  logs: string[];
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestSimulator(env: Env = {}): Promise<TestSimulator> {
  const logs: string[] = [];
  const sim = await startSimulator(loadSimConfig({ PORT: '0', ...env }), { log: (l) => logs.push(l), drainMs: 200 });
  const url = `http://127.0.0.1:${sim.port}`;
  return {
    url,
    port: sim.port,
    logs,
    get: (path) => fetch(url + path),
    post: (path, body) =>
      fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: () => sim.close(),
  };
}

export interface SseRead {
  /** The `data:` payloads in order, `[DONE]` included when it came. */
  data: string[];
  /** Set when the connection ended before the stream did. */
  error: Error | null;
}

/** Reads an SSE body to its end, keeping what arrived before an abrupt end. */
export async function readSse(res: Response): Promise<SseRead> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let error: Error | null = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch (e) {
    error = e as Error;
  }
  const data = text
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));
  return { data, error };
}

/** A response body as JSON, loosely typed: the specs assert its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response | Promise<Response>): Promise<any> {
  return (await res).json();
}
