import { ErrorInjector } from './failure.modes.js';

function failures(rate: number, calls: number): boolean[] {
  const injector = new ErrorInjector(rate);
  return Array.from({ length: calls }, () => injector.shouldFail());
}

describe('ErrorInjector', () => {
  it('never fails at 0 and always fails at 1', () => {
    expect(failures(0, 50)).not.toContain(true);
    expect(failures(1, 50)).not.toContain(false);
  });

  it('fails exactly the given fraction, spread evenly', () => {
    expect(failures(0.5, 6)).toEqual([false, true, false, true, false, true]);
    expect(failures(0.25, 8)).toEqual([false, false, false, true, false, false, false, true]);
    expect(failures(0.1, 1000).filter(Boolean)).toHaveLength(100);
  });
});
