import { rewriteModel, scrubServedName, SseModelRewriter } from './model-rewrite.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('rewriteModel', () => {
  it('rewrites the top-level model and those of message and response, and adds none', () => {
    const body: Record<string, unknown> = { model: 'served', message: { model: 'served' }, response: { x: 1 } };
    rewriteModel(body, 'ws/entity');
    expect(body).toEqual({ model: 'ws/entity', message: { model: 'ws/entity' }, response: { x: 1 } });
    const none: Record<string, unknown> = { id: 'x' };
    rewriteModel(none, 'ws/entity');
    expect(none).toEqual({ id: 'x' });
  });

  it('scrubs the served name from error text', () => {
    expect(scrubServedName('model meta/llama not loaded (meta/llama)', 'meta/llama', 'ws/llama')).toBe(
      'model ws/llama not loaded (ws/llama)',
    );
  });
});

describe('SseModelRewriter', () => {
  it('rewrites each JSON event, also when events are split across chunks, and passes [DONE] on', () => {
    const r = new SseModelRewriter('ws/m');
    let out = r.push(enc('data: {"model":"served","choices":[]}\n\ndata: {"mod'));
    out += r.push(enc('el":"served","x":1}\n'));
    out += r.push(enc('\ndata: [DONE]\n\n'));
    out += r.flush();
    expect(out).toBe('data: {"model":"ws/m","choices":[]}\n\ndata: {"model":"ws/m","x":1}\n\ndata: [DONE]\n\n');
    expect(r.done).toBe(true);
  });

  it('handles CRLF line ends, keeps other fields, passes what is not JSON as it came', () => {
    const r = new SseModelRewriter('ws/m');
    const out = r.push(enc('event: message\r\ndata: {"model":"s"}\r\n\r\n: a comment\r\n\r\ndata: plain text\r\n\r\n'));
    expect(out).toBe('event: message\ndata: {"model":"ws/m"}\n\n: a comment\n\ndata: plain text\n\n');
    expect(r.done).toBe(false);
  });

  it('gives back a last event that came without its blank line', () => {
    const r = new SseModelRewriter('ws/m');
    expect(r.push(enc('data: {"model":"s"}'))).toBe('');
    expect(r.flush()).toBe('data: {"model":"ws/m"}\n\n');
  });

  it('decodes a character split between chunks', () => {
    const r = new SseModelRewriter('ws/m');
    const bytes = enc('data: {"model":"s","t":"é"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const out = r.push(bytes.slice(0, cut)) + r.push(bytes.slice(cut));
    expect(out).toBe('data: {"model":"ws/m","t":"é"}\n\n');
  });
});

describe('SseModelRewriter: usage', () => {
  const stream =
    'data: {"model":"s","choices":[{"delta":{"content":"a"}}],"usage":null}\n\n' +
    'data: {"model":"s","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3}}\n\n' +
    'data: [DONE]\n\n';

  it('reads the usage chunk and passes it on when the client asked for it', () => {
    const r = new SseModelRewriter('ws/m');
    const out = r.push(enc(stream)) + r.flush();
    expect(out).toBe(
      'data: {"model":"ws/m","choices":[{"delta":{"content":"a"}}],"usage":null}\n\n' +
        'data: {"model":"ws/m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3}}\n\n' +
        'data: [DONE]\n\n',
    );
    expect(r.usage).toEqual({ prompt_tokens: 5, completion_tokens: 3 });
  });

  it('with stripUsage: reads it, drops the usage-only chunk and the usage field of the others', () => {
    const r = new SseModelRewriter('ws/m', true);
    // Split in the middle of the usage chunk: what is dropped is the whole event.
    const at = stream.indexOf('"usage":{') + 4;
    const out = r.push(enc(stream.slice(0, at))) + r.push(enc(stream.slice(at))) + r.flush();
    expect(out).toBe('data: {"model":"ws/m","choices":[{"delta":{"content":"a"}}]}\n\ndata: [DONE]\n\n');
    expect(r.usage).toEqual({ prompt_tokens: 5, completion_tokens: 3 });
    expect(r.done).toBe(true);
  });
});
