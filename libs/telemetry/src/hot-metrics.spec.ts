import { Counter, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics.js';

/** The registry's text for `name`, with the name replaced (to set two metrics' texts side by side). */
async function text(registry: Registry, name: string): Promise<string> {
  return (await registry.getSingleMetricAsString(name)).split(name).join('m');
}

describe('HotCounter and HotHistogram', () => {
  it('write exactly what prom-client writes for the same updates', async () => {
    const registry = new Registry();
    const registers = [registry];
    const buckets = [0.1, 1, 10];
    const hot = new HotHistogram({ name: 'hot_h', help: 'h', labelNames: ['a', 'b'], buckets, registers });
    const ref = new Histogram({ name: 'ref_h', help: 'h', labelNames: ['a', 'b'], buckets, registers });
    const hotCount = new HotCounter({ name: 'hot_c', help: 'c', labelNames: ['a'], registers });
    const refCount = new Counter({ name: 'ref_c', help: 'c', labelNames: ['a'], registers });
    for (const [a, b, v] of [
      ['x', 'y', 0.05],
      ['x', 'y', 0.1],
      ['x', 'y', 5],
      ['x', 'z', 50],
      ['q"\\', 'y', 1],
    ] as const) {
      hot.observe([a, b], v);
      ref.observe({ a, b }, v);
      hotCount.inc([a], 2);
      refCount.inc({ a }, 2);
    }
    hot.observe(['x', 'y'], NaN); // ignored, where prom-client throws
    expect(await text(registry, 'hot_h')).toBe(await text(registry, 'ref_h'));
    expect(await text(registry, 'hot_c')).toBe(await text(registry, 'ref_c'));
    const values = (await hotCount.get()).values;
    expect(values).toEqual([
      { labels: { a: 'x' }, value: 8 },
      { labels: { a: 'q"\\' }, value: 2 },
    ]);
    registry.resetMetrics();
    expect((await hot.get()).values).toEqual([]);
  });
});
