import { currentOrigin, currentRequestId, runAsWork, runOutsideWork, traceContextOf } from './request-context.js';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('traceContextOf', () => {
  it('takes a well-formed W3C traceparent (and its tracestate) from request headers', () => {
    expect(traceContextOf({ traceparent: PARENT, tracestate: 'congo=t61rcWkgMzE' })).toEqual({
      traceparent: PARENT,
      tracestate: 'congo=t61rcWkgMzE',
    });
    expect(traceContextOf({ traceparent: PARENT, tracestate: 'a=b\u0000' })).toEqual({ traceparent: PARENT });
  });

  it('hands nothing on from a malformed or absent one', () => {
    expect(traceContextOf({})).toEqual({});
    expect(traceContextOf({ traceparent: 'not-a-trace' })).toEqual({});
    expect(traceContextOf({ traceparent: `${PARENT}-extra` })).toEqual({});
    expect(traceContextOf({ traceparent: PARENT.toUpperCase() })).toEqual({});
  });
});

describe('job origin', () => {
  it("is the current work's request id and trace context, and nothing outside work", async () => {
    expect(currentOrigin()).toBeUndefined();
    await runAsWork({ requestId: 'r-1', principal: 'key:abc', traceparent: PARENT }, async () => {
      await Promise.resolve();
      expect(currentOrigin()).toEqual({ requestId: 'r-1', traceparent: PARENT });
      // What a process does on its own (a runtime's hint) belongs to no request.
      expect(runOutsideWork(() => currentRequestId())).toBeUndefined();
      expect(currentRequestId()).toBe('r-1');
    });
  });
});
