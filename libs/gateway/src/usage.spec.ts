import { PassThrough } from 'node:stream';
import { causeOf, operationOf } from './exchange.js';
import { GatewayError } from './gateway-error.js';
import { askForUsage, tapUsage, tokenCount, type Usage } from './usage.js';

describe('askForUsage', () => {
  const chat = () => ({ operation: 'chat', stripUsage: false });

  it('asks for usage on a chat or completion stream that did not, and marks it to be taken out', () => {
    const ex = chat();
    const body = { model: 'm', stream: true, stream_options: { other: 1 } };
    expect(askForUsage(body, ex)).toEqual({
      model: 'm',
      stream: true,
      stream_options: { other: 1, include_usage: true },
    });
    expect(body.stream_options).toEqual({ other: 1 }); // the client's body is not changed
    expect(ex.stripUsage).toBe(true);
    const completion = { operation: 'text_completion', stripUsage: false };
    expect(askForUsage({ stream: true }, completion)).toEqual({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(completion.stripUsage).toBe(true);
  });

  it('leaves alone a stream that asked, a non-stream, an embedding, and stream_options it cannot extend', () => {
    for (const [body, ex] of [
      [{ stream: true, stream_options: { include_usage: true } }, chat()],
      [{ stream: false }, chat()],
      [{}, chat()],
      [{ stream: true }, { operation: 'embeddings', stripUsage: false }],
      [{ stream: true, stream_options: 'yes' }, chat()],
    ] as const) {
      expect(askForUsage(body, ex)).toBe(body);
      expect(ex.stripUsage).toBe(false);
    }
  });
});

describe('tapUsage', () => {
  async function tap(headers: Record<string, string>, chunks: string[]): Promise<Usage | undefined | 'none'> {
    const body = new PassThrough();
    let found: Usage | undefined | 'none' = 'none';
    tapUsage(body, headers, (usage) => (found = usage));
    body.resume();
    for (const c of chunks) body.write(c);
    body.end();
    await new Promise((resolve) => body.once('end', resolve));
    return found;
  }

  it('reads a JSON answer whole and an SSE stream to its last usage event', async () => {
    const usage = { prompt_tokens: 4, completion_tokens: 9 };
    expect(
      await tap({ 'content-type': 'application/json' }, ['{"id":1,', `"usage":${JSON.stringify(usage)}}`]),
    ).toEqual(usage);
    const sse = [
      'data: {"choices":[{"delta":{"content":"x"}}]}\n\n',
      `data: {"choices":[],"usage":${JSON.stringify(usage)}}\n\n`,
      'data: [DONE]\n\n',
    ];
    expect(await tap({ 'content-type': 'text/event-stream' }, sse)).toEqual(usage);
    expect(await tap({ 'content-type': 'text/event-stream' }, [sse[0], sse[2]])).toBeUndefined();
  });

  it('reads neither a compressed body nor other content types', async () => {
    const json = ['{"usage":{"prompt_tokens":1}}'];
    expect(await tap({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, json)).toBe('none');
    expect(await tap({ 'content-type': 'text/plain' }, json)).toBe('none');
  });
});

describe('operationOf, causeOf, tokenCount', () => {
  it('names the operation from the path, and nothing else than its vocabulary', () => {
    expect(operationOf('v1/chat/completions?x=1')).toBe('chat');
    expect(operationOf('/v1/completions')).toBe('text_completion');
    expect(operationOf('embeddings')).toBe('embeddings');
    expect(operationOf('v1/ranking')).toBe('rerank');
    expect(operationOf('v1/models/ws%2Fm')).toBe('models');
    expect(operationOf('v1/some/secret-looking/path')).toBe('other');
  });

  it('maps errors to a bounded cause', () => {
    const cause = (status: number, code: string, message = '') =>
      causeOf(new GatewayError(status, code as GatewayError['code'], message));
    expect(cause(500, 'gateway/upstream_error')).toBe('upstream_status');
    expect(cause(502, 'gateway/upstream_rejected')).toBe('upstream_status');
    expect(cause(504, 'gateway/network')).toBe('timeout');
    expect(cause(502, 'gateway/network', 'ECONNREFUSED')).toBe('connection');
    expect(cause(502, 'gateway/stream_interrupted')).toBe('stream_cut');
    expect(cause(503, 'gateway/no_ready_provider')).toBe('no_provider');
    expect(cause(404, 'gateway/model_not_found')).toBe('not_found');
    expect(cause(413, 'request/too_large')).toBe('bad_request');
    expect(cause(403, 'access/forbidden')).toBe('refused');
  });

  it('counts tokens only from non-negative finite numbers', () => {
    expect([tokenCount(3), tokenCount(2.7), tokenCount(-1), tokenCount('5'), tokenCount(Infinity)]).toEqual([
      3, 2, 0, 0, 0,
    ]);
  });
});
