import { get } from 'node:http';

export interface ProbeResult {
  ok: boolean;
  /** `HTTP 503`, `connect ECONNREFUSED 127.0.0.1:41234`, `timed out after 1000 ms`. */
  detail: string;
}

/**
 * One HTTP GET, as a kubelet's httpGet readiness probe: a 2xx answer passes,
 * anything else (another status, a refused connection, no answer within
 * `timeoutMs`) fails. No keep-alive, so a probe never leaves a socket open.
 */
export function probeHttp(url: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      settle({ ok: false, detail: `timed out after ${timeoutMs} ms` });
      request.destroy();
    }, timeoutMs);
    const settle = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = get(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      settle({ ok: status >= 200 && status < 300, detail: `HTTP ${status}` });
    });
    request.on('error', (error) => settle({ ok: false, detail: error.message }));
  });
}

export type ReadinessChange = 'ready' | 'lost';

/**
 * Readiness of one process run, kubelet-style: one passing probe makes it
 * ready; once ready, `failureThreshold` failures in a row make it not ready
 * again. Concurrent callers share the probe under way. A new run gets a new
 * tracker, so a probe that outlives its process changes nothing.
 */
export class ReadinessTracker {
  ready: boolean;
  /** Was ready during this run, then failed `failureThreshold` probes in a row. */
  lost = false;
  failures = 0;
  /** The last probe's outcome, worded to follow `GET <url>`. */
  detail: string;
  /** When the last probe answered (0: never). */
  checkedAt = 0;
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(
    private readonly options: {
      timeoutMs: number;
      failureThreshold: number;
      /** Called once per transition, and only while this tracker is current. */
      onChange: (change: ReadinessChange, tracker: ReadinessTracker) => void;
    },
    initial: { ready: boolean; detail: string } = { ready: false, detail: 'not probed yet' },
  ) {
    this.ready = initial.ready;
    this.detail = initial.detail;
  }

  probe(url: string): Promise<void> {
    this.inFlight ??= probeHttp(url, this.options.timeoutMs)
      .then((result) => this.record(result))
      .finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /**
   * A probe that starts no earlier than now: the one under way may have left
   * before the server began to listen, so a probe is queued behind it (one,
   * shared by every caller meanwhile) unless it finds the server ready.
   */
  probeFresh(url: string): Promise<void> {
    if (this.inFlight === null) return this.probe(url);
    this.queued ??= this.inFlight.then(() => {
      this.queued = null;
      return this.ready ? undefined : this.probe(url);
    });
    return this.queued;
  }

  private record({ ok, detail }: ProbeResult): void {
    this.checkedAt = Date.now();
    this.detail = `answered ${detail}`;
    if (ok) {
      this.failures = 0;
      if (this.ready) return;
      this.ready = true;
      this.lost = false;
      this.options.onChange('ready', this);
    } else {
      this.failures += 1;
      if (!this.ready || this.failures < this.options.failureThreshold) return;
      this.ready = false;
      this.lost = true;
      this.options.onChange('lost', this);
    }
  }
}

/**
 * A process just started is probed after `startupProbeInitialMs`, then at
 * intervals growing by half until it is ready or the interval reaches the
 * tick's (which probes it from then on): a server that starts in half a
 * second is seen ready within about a hundred ms, while one that takes
 * minutes costs no more probes than the tick's. One schedule per supervisor.
 */
export class StartupProbes {
  private timer: NodeJS.Timeout | null = null;

  /** `tickMs`: the runtime's own probe interval, where this schedule stops. */
  constructor(private readonly tickMs: number) {}

  /** Probes `tracker`'s process after `delayMs`, and again later while `wanted()` and it is not ready. */
  start(tracker: ReadinessTracker, delayMs: number, wanted: () => boolean, probe: () => Promise<void>): void {
    if (delayMs >= this.tickMs) return;
    const timer = setTimeout(() => {
      if (this.timer === timer) this.timer = null;
      if (!wanted() || tracker.ready) return;
      void probe().then(() => {
        if (!tracker.ready) this.start(tracker, Math.ceil(delayMs * 1.5), wanted, probe);
      });
    }, delayMs);
    timer.unref();
    this.timer = timer;
  }

  stop(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
