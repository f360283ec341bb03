import { cleanUp } from './clean-up.js';

describe('cleanUp', () => {
  it('runs every step in order, even after one that throws or hangs, then reports those', async () => {
    const ran: string[] = [];
    const error = await cleanUp(
      [
        ['first', () => ran.push('first')],
        [
          'throws',
          async () => {
            ran.push('throws');
            throw new Error('boom');
          },
        ],
        ['hangs', () => (ran.push('hangs'), new Promise(() => undefined))],
        ['last', async () => ran.push('last')],
      ],
      { stepTimeoutMs: 50 },
    ).catch((e: Error) => e);
    expect(ran).toEqual(['first', 'throws', 'hangs', 'last']);
    expect((error as Error).message).toBe(
      'Clean-up steps failed (the others ran):\nthrows: boom\nhangs: did not finish within 50 ms',
    );
  });

  it('resolves when every step does', async () => {
    await expect(cleanUp([['one', async () => undefined]])).resolves.toBeUndefined();
  });
});
