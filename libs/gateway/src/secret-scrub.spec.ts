import { scrubSecret, SecretScrubber } from './secret-scrub.js';

const KEY = 'nvapi-123456';

describe('scrubSecret', () => {
  it("masks the provider's key in what an upstream echoes back, keeping the length", () => {
    expect(scrubSecret(`Incorrect API key provided: ${KEY}. Check it.`, KEY)).toBe(
      'Incorrect API key provided: ************. Check it.',
    );
    expect(scrubSecret('nothing to see', null)).toBe('nothing to see');
  });
});

describe('SecretScrubber', () => {
  const run = (chunks: string[]) => {
    const scrubber = SecretScrubber.for(KEY)!;
    const out = chunks.map((c) => scrubber.push(Buffer.from(c)).toString());
    return { out, all: out.join('') + scrubber.flush().toString() };
  };

  it('is not made when there is no key to look for', () => {
    expect(SecretScrubber.for(null)).toBeNull();
    expect(SecretScrubber.for('abc')).toBeNull();
  });

  it('masks keys inside one chunk, several times, leaving the input buffer as it was', () => {
    const input = Buffer.from(`a ${KEY} b ${KEY}`);
    const out = SecretScrubber.for(KEY)!.push(input).toString();
    expect(out).toBe('a ************ b ************');
    expect(input.toString()).toBe(`a ${KEY} b ${KEY}`);
  });

  it.each([1, 3, 6, 11])('masks a key split after %i bytes across two chunks', (cut) => {
    const { all } = run([`data: {"echo":"Bearer ${KEY.slice(0, cut)}`, `${KEY.slice(cut)}"}\n\n`]);
    expect(all).toBe('data: {"echo":"Bearer ************"}\n\n');
  });

  it('masks a key split over many one-byte chunks', () => {
    expect(run([...`x${KEY}y`]).all).toBe('x************y');
  });

  it('holds nothing back when a chunk cannot end in the start of the key, so an SSE event goes out whole', () => {
    const { out } = run(['data: {"a":1}\n\n', 'data: [DONE]\n\n']);
    expect(out).toEqual(['data: {"a":1}\n\n', 'data: [DONE]\n\n']);
  });

  it('gives back at the end what it held back when the key never completed', () => {
    const { out, all } = run(['tail nvapi-12']);
    expect(out).toEqual(['tail ']);
    expect(all).toBe('tail nvapi-12');
  });
});
