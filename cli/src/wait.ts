import { EventSourceParserStream } from 'eventsource-parser/stream';
import { createLogUpdate } from 'log-update';
import { refusal, type Api, type Schemas } from './client.js';
import { ApiError, UsageError, WaitFailedError } from './exit-codes.js';
import { duration } from './resources.js';

type Deployment = Schemas['DeploymentDto'];

export const STATUSES = ['CREATED', 'PENDING', 'READY', 'FAILED', 'DELETING', 'DELETED'] as const;

export interface WaitOptions {
  workspace: string;
  name: string;
  /** The status to reach (READY, DELETED, …). */
  target: string;
  timeoutMs: number;
  /** Where progress goes (stderr): one live line on a terminal, one line per change otherwise. */
  out: NodeJS.WriteStream;
  now?: () => number;
}

/**
 * Follows the deployment's event stream until its latest version reaches the
 * target status (resolves with it), fails (WaitFailedError with the reason
 * and the server's last output lines), or the time runs out (WaitFailedError).
 * A dropped stream is re-opened until the deadline; waiting for DELETED ends
 * when the deployment is gone (404).
 */
export async function waitFor(api: Api, options: WaitOptions): Promise<Deployment | null> {
  const { workspace, name, target, timeoutMs, out } = options;
  if (!(STATUSES as readonly string[]).includes(target)) {
    throw new UsageError(`--for ${target}: the status is one of ${STATUSES.join(', ')}`);
  }
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + timeoutMs;
  const progress = new Progress(out, `deployment/${name}`, started, now);
  const until = [...new Set([target, 'FAILED'])].join(',');
  let last: Deployment | null = null;
  let failures = 0;
  try {
    while (now() < deadline) {
      const abort = AbortSignal.timeout(Math.max(1, deadline - now()));
      let stream: ReadableStream<Uint8Array> | null;
      try {
        const { response, error, data } = await api.GET('/v2/workspaces/{workspace}/deployments/{name}/events', {
          params: { path: { workspace, name }, query: { until } },
          parseAs: 'stream',
          signal: abort,
        });
        if (response.status === 404 && target === 'DELETED') {
          progress.done(`deployment/${name} is deleted after ${duration(now() - started)}`);
          return last;
        }
        if (!response.ok) throw refusal(response.status, error);
        stream = data ?? null;
        failures = 0;
      } catch (error) {
        if (isTimeout(error)) break;
        if (!(error instanceof ApiError) || error.status !== 0 || ++failures > 30) throw error;
        progress.note(`${error.message}; retrying`);
        await sleep(Math.min(5000, 500 * failures), deadline - now());
        continue;
      }
      try {
        for await (const event of events(stream)) {
          last = event;
          progress.show(event);
          if (event.status === target) {
            progress.done(
              `deployment/${name} v${event.entity_version} is ${target} after ${duration(now() - started)}`,
            );
            return event;
          }
          if (event.status === 'FAILED') {
            progress.stop();
            throw new WaitFailedError(failureReport(name, event, now() - started));
          }
        }
      } catch (error) {
        if (error instanceof WaitFailedError) throw error;
        if (isTimeout(error)) break;
        progress.note(`the event stream broke (${(error as Error).message}); reconnecting`);
      }
      // The stream ended without the target (the server restarted, or the deployment went away): look again.
      await sleep(250, deadline - now());
    }
  } finally {
    progress.stop();
  }
  const state = last
    ? `it is ${last.status}${last.status_message ? `: ${firstLine(last.status_message)}` : ''}`
    : 'no state was read';
  throw new WaitFailedError(
    `timed out after ${duration(Math.round(timeoutMs / 1000) * 1000)} waiting for deployment/${name} to be ${target}; ${state}`,
  );
}

/** What a failed deployment says: its reason and message, which ends with the server's last output lines. */
function failureReport(name: string, d: Deployment, elapsedMs: number): string {
  const reason = d.status_reason ? ` (${d.status_reason})` : '';
  return `deployment/${name} v${d.entity_version} FAILED after ${duration(elapsedMs)}${reason}:\n${d.status_message}`;
}

async function* events(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Deployment> {
  if (!stream) return;
  const parsed = stream.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  for await (const message of parsed) {
    if (message.event !== 'status') continue;
    yield JSON.parse(message.data) as Deployment;
  }
}

/** Progress on a terminal: one line, rewritten every second. In a CI log: a line per change of state or message. */
class Progress {
  private readonly live: ReturnType<typeof createLogUpdate> | null;
  private timer: NodeJS.Timeout | null = null;
  private current: Deployment | null = null;
  private printed = '';

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly label: string,
    private readonly started: number,
    private readonly now: () => number,
  ) {
    this.live = out.isTTY ? createLogUpdate(out, { showCursor: true }) : null;
  }

  show(d: Deployment): void {
    this.current = d;
    if (this.live) {
      this.render();
      this.timer ??= setInterval(() => this.render(), 1000);
      return;
    }
    const line = `${this.label} v${d.entity_version} ${d.status}${d.status_message ? `: ${firstLine(d.status_message)}` : ''}`;
    if (line === this.printed) return;
    this.printed = line;
    this.out.write(`[${duration(this.now() - this.started).padStart(6)}] ${line}\n`);
  }

  note(text: string): void {
    if (this.live) this.live.clear();
    this.out.write(`${text}\n`);
    if (this.live && this.current) this.render();
  }

  done(text: string): void {
    this.stop();
    this.out.write(`${text}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.live) this.live.clear();
  }

  private render(): void {
    const d = this.current;
    if (!d || !this.live) return;
    const message = d.status_message ? ` ${firstLine(d.status_message)}` : '';
    this.live(`${this.label} v${d.entity_version} ${d.status} (${duration(this.now() - this.started)})${message}`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function sleep(ms: number, atMost: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, atMost))));
}

/** `90`, `90s`, `15m`, `1h30m`, `90d` as milliseconds. */
export function parseDuration(text: string, flag = '--timeout'): number {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(text.trim());
  if (!text.trim() || !match || match.slice(1).every((g) => g === undefined)) {
    throw new UsageError(`${flag} ${text}: a duration is like 90s, 15m, 1h30m or 90d`);
  }
  const [, d, h, m, s] = match.map((g) => Number(g ?? 0));
  return (((d * 24 + h) * 60 + m) * 60 + s) * 1000;
}
