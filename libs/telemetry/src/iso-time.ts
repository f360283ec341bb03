let isoSecond = -1;
let isoPrefix = '';

/**
 * pino's `time` field (`,"time":"…"`) as ISO 8601 UTC with milliseconds, as stdTimeFunctions.isoTime writes it,
 * with the date-and-second part formatted once a second: `new Date().toISOString()` per line was a fifth of the
 * cost of the gateway's request line. `now`: the time to write (ms since the epoch); the present otherwise.
 */
export function isoTime(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, 20)}`;
  }
  const ms = now - second * 1000;
  return `${isoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}
