import { exceedsJsonDepth, jsonDepth } from './json-limits.js';

describe('jsonDepth', () => {
  it('counts nesting of objects and arrays', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{}')).toBe(1);
    expect(jsonDepth('{"a":[{"b":[]}]}')).toBe(4);
    expect(jsonDepth('[[],[[]],[]]')).toBe(3);
  });

  it('skips brackets inside strings, escaped quotes included', () => {
    expect(jsonDepth('{"a":"[[[{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[["}')).toBe(1);
    expect(jsonDepth('{"a":"\\\\","b":[1]}')).toBe(2);
  });

  it('stops once past the limit', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(jsonDepth(deep, 64)).toBe(65);
    expect(exceedsJsonDepth(deep)).toBe(true);
    expect(exceedsJsonDepth('['.repeat(64) + ']'.repeat(64))).toBe(false);
    expect(exceedsJsonDepth('['.repeat(65) + ']'.repeat(65))).toBe(true);
  });
});
