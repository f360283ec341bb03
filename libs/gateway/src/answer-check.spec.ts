import { answerCheckFor, judgeAnswer } from './answer-check.js';

const answer = (content: unknown) => ({ choices: [{ message: { role: 'assistant', content } }] });
const asking = (schema: unknown) => ({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } });

describe('escalation: checking a JSON answer against the request', () => {
  const schema = {
    type: 'object',
    required: ['city', 'days'],
    properties: { city: { type: 'string', pattern: '^(a+)+$' }, days: { type: 'integer', minimum: 1 } },
    $defs: { unused: { type: 'string' } },
  };

  it('passes a matching answer and names the field of one that does not match', () => {
    const check = answerCheckFor(asking(schema));
    expect(check).not.toBeNull();
    expect(judgeAnswer(answer('{"city": "Oslo", "days": 3}'), check!)).toBeNull();
    expect(judgeAnswer(answer('{"city": "Oslo", "days": 0}'), check!)).toMatch(
      /^the answer does not match the schema \(\/days: /,
    );
    expect(judgeAnswer(answer('{"city": "Oslo"}'), check!)).toMatch(/does not match the schema/);
    expect(judgeAnswer(answer('Sure! {'), check!)).toBe('the answer is not JSON');
    expect(judgeAnswer({ choices: [] }, check!)).toBe('the answer has no text content');
  });

  it('never runs the caller’s regular expressions: a catastrophic pattern is not applied', () => {
    const check = answerCheckFor(asking(schema))!;
    const started = Date.now();
    expect(judgeAnswer(answer(JSON.stringify({ city: `${'a'.repeat(40)}!`, days: 2 })), check)).toBeNull();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('asks nothing of streams, of requests without JSON, and accepts any object for json_object', () => {
    expect(answerCheckFor({ ...asking(schema), stream: true })).toBeNull();
    expect(answerCheckFor({})).toBeNull();
    const object = answerCheckFor({ response_format: { type: 'json_object' } })!;
    expect(judgeAnswer(answer('{"a": 1}'), object)).toBeNull();
    expect(judgeAnswer(answer('[1]'), object)).toBe('the answer is not a JSON object');
  });

  it('treats a schema it cannot use as "parsing is the check", never as an error', () => {
    for (const odd of [
      { $ref: 'https://example.com/remote.json' },
      { type: 'nonsense' },
      { properties: { __proto__: { type: 'string' } } },
    ]) {
      const check = answerCheckFor(asking(odd));
      expect(() => judgeAnswer(answer('{"x": 1}'), check!)).not.toThrow();
    }
  });
});
