import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogFollower, LogRing } from './log-ring.js';

describe('LogRing', () => {
  it('keeps the last lines, oldest first, and cuts very long ones', () => {
    const ring = new LogRing(3);
    for (const line of ['a', 'b', 'c', 'd', 'x'.repeat(5000)]) ring.push(line);
    const tail = ring.tail();
    expect(tail.slice(0, 2)).toEqual(['c', 'd']);
    expect(tail[2]).toHaveLength(4097);
  });
});

describe('LogFollower', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'log-follower-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('follows a file as it grows, showing an unfinished last line', async () => {
    const path = join(dir, 'x.log');
    const follower = new LogFollower(path, 3);
    await follower.poll();
    expect(follower.tail()).toEqual([]);

    await writeFile(path, 'one\r\ntwo\nthr');
    await follower.poll();
    expect(follower.tail()).toEqual(['one', 'two', 'thr']);

    await appendFile(path, 'ee\nfour\nfive\n');
    await follower.poll();
    expect(follower.tail()).toEqual(['three', 'four', 'five']);
  });

  it('starts from the end of an existing file, without a cut first line', async () => {
    const path = join(dir, 'big.log');
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'.'.repeat(20)}`);
    await writeFile(path, lines.join('\n') + '\n');
    const follower = new LogFollower(path, 2);
    await follower.poll();
    expect(follower.tail()).toEqual(lines.slice(-2));
  });

  it('starts over when the file is replaced by a shorter one', async () => {
    const path = join(dir, 'r.log');
    await writeFile(path, 'a long first line\n');
    const follower = new LogFollower(path, 5);
    await follower.poll();
    await writeFile(path, 'new\n');
    await follower.poll();
    expect(follower.tail()).toEqual(['a long first line', 'new']);
  });
});
