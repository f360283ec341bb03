import { GpuPool } from './gpu-pool.js';

describe('GpuPool', () => {
  it('hands out free device indices and takes them back per instance', () => {
    const pool = new GpuPool(4);
    expect(pool.tryAllocate('a', 2)).toEqual([0, 1]);
    expect(pool.tryAllocate('b', 3)).toBeNull();
    expect(pool.shortfall(3)).toBe('2/4 GPUs free; needs 3');
    expect(pool.tryAllocate('b', 1)).toEqual([2]);
    pool.release('a');
    expect(pool.tryAllocate('c', 3)).toEqual([0, 1, 3]);
    expect(pool.free).toBe(0);
    expect(pool.shortfall(5)).toBe('0/4 GPUs free; needs 5 (more than this runtime has)');
  });

  it('gives instances without GPUs an empty set even when full', () => {
    const pool = new GpuPool(1);
    pool.tryAllocate('a', 1);
    expect(pool.tryAllocate('b', 0)).toEqual([]);
  });

  it('counts nothing when unlimited', () => {
    const pool = new GpuPool(0);
    expect(pool.tryAllocate('a', 8)).toEqual([]);
    expect(pool.free).toBe(Infinity);
  });

  it('restores what instances held before a restart, even past a smaller capacity', () => {
    const pool = new GpuPool(1);
    pool.restore('a', [0, 1]);
    expect(pool.free).toBe(0);
    expect(pool.tryAllocate('b', 1)).toBeNull();
    pool.release('a');
    expect(pool.tryAllocate('b', 1)).toEqual([0]);
  });
});
