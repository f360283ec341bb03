import { setImmediate as nextTurn } from 'node:timers/promises';
import { HotLog } from './hot-log.js';
import { isoTime } from './iso-time.js';
import { LineBuffer } from './line-buffer.js';
import { createLoggers } from './logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

describe('HotLog', () => {
  it('writes the line the logger writes for the same fields, at the end of the turn', async () => {
    const { lines, destination } = capture();
    const { log } = createLoggers({ service: 'gateway', level: 'log', format: 'json', destination });
    const hot = new HotLog(log, destination, 'gateway', ['request_id', 'status', 'model', 'ttft_ms', 'note']);
    const values = ['r-1', 200, 'ws/m"1', null, 'tab\there'];
    hot.write('info', values, 'POST /x 200');
    expect(lines).toHaveLength(0); // not on the request's turn
    await nextTurn();
    log.info({ request_id: 'r-1', status: 200, model: 'ws/m"1', ttft_ms: null, note: 'tab\there' }, 'POST /x 200');
    expect(lines).toHaveLength(2);
    const [hotLine, pinoLine] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0].endsWith('}\n')).toBe(true);
    // Same fields in the same order, same values, except the time a moment apart.
    expect(Object.keys(hotLine)).toEqual(Object.keys(pinoLine));
    expect({ ...hotLine, time: 0 }).toEqual({ ...pinoLine, time: 0 });
    expect(Date.now() - Date.parse(String(hotLine.time))).toBeLessThan(1000);
  });

  it('writes numbers that are not finite as null, and nothing below its level', async () => {
    const { lines, destination } = capture();
    const { log } = createLoggers({ service: 's', level: 'warn', format: 'json', destination });
    const hot = new HotLog(log, destination, 's', ['a']);
    expect(hot.enabled('info')).toBe(false);
    hot.write('info', [1], 'quiet');
    hot.write('warn', [Number.NaN], 'loud');
    hot.flush();
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      expect.objectContaining({ level: 'warn', a: null, msg: 'loud', service: 's' }),
    ]);
    await nextTurn(); // the scheduled flush finds nothing left
    expect(lines).toHaveLength(1);
  });
});

describe('isoTime', () => {
  it('writes what toISOString writes, across seconds and milliseconds', () => {
    for (const ms of [0, 5, 999, 1_000, 1_764_000_000_007, 1_764_000_000_070, 1_764_000_000_700, 1_764_000_001_000]) {
      expect(isoTime(ms)).toBe(`,"time":"${new Date(ms).toISOString()}"`);
    }
  });
});

describe('LineBuffer', () => {
  it('hands lines on in batches of at least its size, and the rest when flushed', () => {
    const chunks: string[] = [];
    let synced = 0;
    const buffer = new LineBuffer({ write: (c: string) => chunks.push(c), flushSync: () => synced++ }, 10);
    buffer.write('abcd\n');
    buffer.write('efgh\n');
    expect(chunks).toEqual(['abcd\nefgh\n']);
    buffer.write('ij\n');
    expect(chunks).toHaveLength(1);
    buffer.flush();
    buffer.flush();
    expect(chunks).toEqual(['abcd\nefgh\n', 'ij\n']);
    let called = 0;
    buffer.flush(() => called++); // pino's logger.flush(cb): the callback is called, also with nothing to hand on
    expect(called).toBe(1);
    buffer.write('k\n');
    buffer.flushSync();
    expect(chunks).toEqual(['abcd\nefgh\n', 'ij\n', 'k\n']);
    expect(synced).toBe(1);
  });
});
