import { findUnstorableText } from './json-text.js';

describe('findUnstorableText', () => {
  it('finds NUL and lone surrogates in strings and keys, with their path', () => {
    expect(findUnstorableText({ a: [1, 'ok', { b: 'x\u0000' }] })).toEqual({ problem: 'nul', path: ['a', 2, 'b'] });
    expect(findUnstorableText({ a: '\ud800' })).toEqual({ problem: 'lone_surrogate', path: ['a'] });
    expect(findUnstorableText({ a: 'x\udc00y' })).toEqual({ problem: 'lone_surrogate', path: ['a'] });
    expect(findUnstorableText({ '\ud800': 1 })).toEqual({ problem: 'lone_surrogate', path: ['\ud800'] });
    expect(findUnstorableText('a\u0000')).toEqual({ problem: 'nul', path: [] });
  });

  it('accepts surrogate pairs and ordinary text', () => {
    expect(findUnstorableText({ emoji: '😀', text: ['ünï', '名前'], n: 1, none: null })).toBeNull();
  });

  it('refuses __proto__ and constructor keys', () => {
    expect(findUnstorableText(JSON.parse('{"a":{"__proto__":{}}}'))).toEqual({
      problem: 'forbidden_key',
      path: ['a', '__proto__'],
    });
    expect(findUnstorableText({ constructor: 1 })).toEqual({ problem: 'forbidden_key', path: ['constructor'] });
  });

  it('reports the first issue in reading order and survives any depth', () => {
    expect(findUnstorableText({ a: 'x\u0000', b: '\ud800' })?.path).toEqual(['a']);
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(findUnstorableText(deep)?.path).toHaveLength(10_000);
  });
});
