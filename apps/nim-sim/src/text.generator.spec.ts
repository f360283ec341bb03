import { generateWords, PromptDigest, streamPieces, textPieces } from './text.generator.js';

describe('PromptDigest', () => {
  it('counts whitespace-separated words across parts', () => {
    expect(new PromptDigest().add('  one two\tthree\nfour ').add('five').words).toBe(5);
    expect(new PromptDigest().add('').words).toBe(0);
  });

  it('mixes text into the hash without counting it', () => {
    const mixed = new PromptDigest().mix('some model id').add('hi');
    expect(mixed.words).toBe(1);
    expect(mixed.hash).not.toBe(new PromptDigest().add('hi').hash);
  });

  it('hashes part boundaries, so the same characters split differently differ', () => {
    expect(new PromptDigest().add('ab').add('c').hash).not.toBe(new PromptDigest().add('a').add('bc').hash);
  });

  it('counts token ids one each', () => {
    expect(new PromptDigest().addToken(1).addToken(2).addToken(3).words).toBe(3);
  });
});

describe('generateWords', () => {
  it('is deterministic, and a longer answer extends a shorter one', () => {
    const seed = new PromptDigest().add('hello').hash;
    expect(generateWords(seed, 8)).toEqual(generateWords(seed, 8));
    expect(generateWords(seed, 20).slice(0, 8)).toEqual(generateWords(seed, 8));
  });

  it('gives other prompts other answers, each word a single token', () => {
    const a = generateWords(new PromptDigest().add('hello').hash, 16);
    const b = generateWords(new PromptDigest().add('goodbye').hash, 16);
    expect(a).not.toEqual(b);
    expect(new PromptDigest().add(a.join(' ')).words).toBe(16);
  });

  it('splits into stream pieces that concatenate to the text', () => {
    const words = generateWords(7, 5);
    expect(streamPieces(words).join('')).toBe(words.join(' '));
  });

  it('splits any text into one piece per token, keeping the whitespace before each', () => {
    expect(textPieces('{"a": 1,\n  "b":\t2}  ')).toEqual(['{"a":', ' 1,', '\n  "b":', '\t2}']);
    expect(textPieces('  lead')).toEqual(['  lead']);
    expect(textPieces(' \n ')).toEqual([]);
    expect(textPieces('a\u00a0b c').join('')).toBe('a\u00a0b c');
    expect(textPieces('a\u00a0b c')).toHaveLength(new PromptDigest().add('a\u00a0b c').words);
  });
});
