import type { Registry } from 'prom-client';

type Labels = Record<string, string>;
type Sample = { labels: Labels; value: number; metricName?: string };

/**
 * Counters and histograms for a hot path (the gateway's, once per request). prom-client's own validate and
 * hash a label object on every update: about 5 µs each, 26 µs for one gateway request's six updates (measured).
 * Here a series is found by its label values joined into one key, and updated by adding numbers (under 2 µs for
 * the six). They are exposed through prom-client's registry like its own metrics (the same `get()` shape and
 * text format), so `/metrics` and the registry's readers see no difference.
 */
abstract class HotMetric<S> {
  readonly aggregator = 'sum';
  private readonly series = new Map<string, { labels: Labels; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'histogram',
    readonly labelNames: readonly string[],
    registers: Registry[],
  ) {
    for (const registry of registers)
      registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series of these label values (in `labelNames` order), made on first use. */
  protected find(values: readonly string[]): S {
    const key = values.join('\u0000');
    let entry = this.series.get(key);
    if (!entry) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i]));
      entry = { labels, state: this.create() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  protected abstract create(): S;
  protected abstract samples(labels: Labels, state: S): Sample[];

  reset(): void {
    this.series.clear();
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    for (const { labels, state } of this.series.values()) values.push(...this.samples(labels, state));
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}

export class HotCounter extends HotMetric<{ value: number }> {
  constructor(options: { name: string; help: string; labelNames: readonly string[]; registers: Registry[] }) {
    super(options.name, options.help, 'counter', options.labelNames, options.registers);
  }

  inc(values: readonly string[], by = 1): void {
    this.find(values).value += by;
  }

  protected create() {
    return { value: 0 };
  }

  protected samples(labels: Labels, state: { value: number }): Sample[] {
    return [{ labels, value: state.value }];
  }
}

interface HistogramState {
  /** Per bucket (not cumulative); the last one is +Inf. */
  counts: number[];
  sum: number;
  count: number;
}

export class HotHistogram extends HotMetric<HistogramState> {
  private readonly bounds: readonly number[];

  constructor(options: {
    name: string;
    help: string;
    labelNames: readonly string[];
    buckets: readonly number[];
    registers: Registry[];
  }) {
    super(options.name, options.help, 'histogram', options.labelNames, options.registers);
    this.bounds = [...options.buckets].sort((a, b) => a - b);
  }

  observe(values: readonly string[], value: number): void {
    if (!Number.isFinite(value)) return;
    const state = this.find(values);
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    state.counts[i]++;
    state.sum += value;
    state.count++;
  }

  protected create(): HistogramState {
    return { counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 };
  }

  protected samples(labels: Labels, state: HistogramState): Sample[] {
    const out: Sample[] = [];
    let cumulative = 0;
    const bucket = `${this.name}_bucket`;
    this.bounds.forEach((bound, i) => {
      cumulative += state.counts[i];
      out.push({ labels: { le: String(bound), ...labels }, value: cumulative, metricName: bucket });
    });
    out.push({ labels: { le: '+Inf', ...labels }, value: state.count, metricName: bucket });
    out.push({ labels, value: state.sum, metricName: `${this.name}_sum` });
    out.push({ labels, value: state.count, metricName: `${this.name}_count` });
    return out;
  }
}
