import { jest } from '@jest/globals';
import { parse } from 'yaml';
import { cliFor, documentsDir } from './cli-harness.js';
import { startRoutingBed, step, user, waitUntil, type RoutingBed } from './routing-harness.js';

jest.setTimeout(60_000);

/**
 * The seeds' smart routing, end to end over real HTTP: an intent classifier
 * (a small model served through Modelplane, a simulator answering by keyword
 * rules) that fails open; an embedding router scoring against centroids of
 * a simulator's deterministic embeddings, with entity prices as the cost;
 * shadow traffic that never touches the client's answer.
 */
describe('virtual models: classifiers, embeddings, shadow', () => {
  let bed: RoutingBed;
  const RULES = 'code:python|bug|function;math:integral|equation;chat:*';

  beforeAll(async () => {
    bed = await startRoutingBed();
    await bed.entity('coder', {}, { input_per_million_tokens: 0.6, output_per_million_tokens: 1.2 });
    await bed.entity('mathy', {}, { input_per_million_tokens: 5, output_per_million_tokens: 15 });
    await bed.entity('chatter', {}, { input_per_million_tokens: 0.1, output_per_million_tokens: 0.2 });
    await bed.entity('judge', { SIM_CLASSIFIER_RULES: RULES });
    await bed.entity('noisy-judge', { SIM_CLASSIFIER_RULES: RULES, SIM_CLASSIFIER_NOISE: '1' });
    await bed.entity('slow-judge', { SIM_CLASSIFIER_RULES: RULES, SIM_TOKEN_DELAY_MS: '400' });
    await bed.entity('embedder', { SIM_EMBEDDING_DIM: '256' });
    await bed.entity('candidate');
    await bed.unreachable('dead-judge');
  });
  afterAll(async () => {
    await bed.close();
  });

  const classifier = (judge: string, extra: Record<string, unknown> = {}) =>
    step('intent_classifier', {
      classifier_model: judge,
      categories: [
        { name: 'code', description: 'programming questions', model: 'coder' },
        { name: 'math', description: 'mathematics', model: 'mathy' },
        { name: 'chat', model: 'chatter' },
      ],
      default_model: 'chatter',
      timeout_ms: 150,
      ...extra,
    });
  const decide = async (vm: string, body: unknown) =>
    (await bed.api.request('POST', `/v2/workspaces/${bed.ws}/virtual-models/${vm}/decision`, body)).body;

  it('sends each request to the category the classifier names', async () => {
    await bed.virtualModel('intent', { request_middleware: [classifier('judge')] });
    const code = await bed.chat('intent', user('why does my python function crash?'));
    expect([
      code.status,
      code.headers.get('x-modelplane-route-target'),
      code.headers.get('x-modelplane-route-reason'),
    ]).toEqual([200, `${bed.ws}/coder`, 'intent_classifier:code']);
    const math = await bed.chat('intent', user('solve this integral for me'));
    expect(math.headers.get('x-modelplane-route-target')).toBe(`${bed.ws}/mathy`);
    expect(math.headers.get('x-modelplane-route-pricing')).toBe('input=5; output=15; currency=USD');
    expect(await decide('intent', user('tell me a story'))).toMatchObject({
      model: `${bed.ws}/chatter`,
      reason: { middleware: 'intent_classifier', category: 'chat', detail: 'classified' },
      pricing: { input_per_million_tokens: 0.1, output_per_million_tokens: 0.2, currency: 'USD' },
    });
  });

  it('fails open to the default on an answer it cannot parse, a classifier that is down, and a timeout', async () => {
    for (const judge of ['noisy-judge', 'dead-judge', 'slow-judge']) {
      await bed.virtualModel(`open-${judge}`, { request_middleware: [classifier(judge)] });
      const started = Date.now();
      const res = await bed.chat(`open-${judge}`, user('python bug'));
      expect([
        res.status,
        res.headers.get('x-modelplane-route-target'),
        res.headers.get('x-modelplane-route-reason'),
      ]).toEqual([200, `${bed.ws}/chatter`, 'intent_classifier:failed_open']);
      expect(Date.now() - started).toBeLessThan(3000);
    }
    const why = await decide('open-slow-judge', user('python bug'));
    expect(why.reason.detail).toMatch(/^failed open: the classifier failed \(timed out after 150 ms\)/);
    const noisy = await decide('open-noisy-judge', user('python bug'));
    expect(noisy.reason.detail).toContain('answered no known category ("The category is: code.")');
  });

  it('classifies a conversation on its first user turn and remembers it for the later turns', async () => {
    await bed.virtualModel('per-conversation', {
      request_middleware: [classifier('judge', { trigger: 'first_user_turn' })],
    });
    const first = [{ role: 'user', content: 'help me find the bug in this python code' }];
    const calls = await bed.answered('judge');
    expect(await decide('per-conversation', { messages: first })).toMatchObject({
      model: `${bed.ws}/coder`,
      reason: { detail: 'classified' },
    });
    const later = [...first, { role: 'assistant', content: 'sure' }, { role: 'user', content: 'now write me a poem' }];
    expect(await decide('per-conversation', { messages: later })).toMatchObject({
      model: `${bed.ws}/coder`,
      reason: { category: 'code', detail: 'remembered for this conversation' },
    });
    expect(await bed.answered('judge')).toBe(calls + 1);
  });

  it('routes by embedding similarity to centroids, the cheapest target that clears its threshold first', async () => {
    const embed = async (texts: string[]) => {
      const res = await bed.sims.get('embedder')!.post('/v1/embeddings', { model: 'org/embedder', input: texts });
      return ((await res.json()) as { data: { embedding: number[] }[] }).data.map((d) => d.embedding);
    };
    const centroid = (vectors: number[][]) => {
      const sum = vectors[0].map((_, i) => vectors.reduce((s, v) => s + v[i], 0) / vectors.length);
      const norm = Math.hypot(...sum);
      return sum.map((x) => x / norm);
    };
    const code = centroid(await embed(['python function bug', 'fix the python code', 'debug this function']));
    const math = centroid(await embed(['solve the integral', 'an equation to solve', 'integral of x squared']));
    await bed.virtualModel('semantic', {
      request_middleware: [
        step('embedding_router', {
          embedding_model: 'embedder',
          targets: [
            { model: 'mathy', threshold: 0.3, centroid: math },
            { model: 'coder', threshold: 0.3, centroid: code },
          ],
          default_model: 'chatter',
        }),
      ],
    });
    const res = await bed.chat('semantic', user('please debug my python function'));
    expect([
      res.status,
      res.headers.get('x-modelplane-route-target'),
      res.headers.get('x-modelplane-route-reason'),
    ]).toEqual([200, `${bed.ws}/coder`, 'embedding_router']);
    const decision = await decide('semantic', user('solve the integral of this equation'));
    expect(decision.model).toBe(`${bed.ws}/mathy`);
    expect(decision.reason.scores[`mathy`]).toBeGreaterThan(decision.reason.scores[`coder`]);
    // Both clear a low threshold: the cheaper (by the entities' prices) wins.
    await bed.virtualModel('semantic-cheap', {
      request_middleware: [
        step('embedding_router', {
          embedding_model: 'embedder',
          targets: [
            { model: 'mathy', threshold: -1, centroid: math },
            { model: 'coder', threshold: -1, centroid: code },
          ],
          default_model: 'chatter',
        }),
      ],
    });
    expect(await decide('semantic-cheap', user('solve the integral'))).toMatchObject({
      model: `${bed.ws}/coder`,
      reason: { detail: 'cheapest clearing its threshold (cost 1.8)' },
    });
  });

  it('trains an embedding router from labelled examples with the CLI, and applies it', async () => {
    const cli = cliFor(bed.api.url, bed.ws);
    const file = await documentsDir();
    const examples = [
      ...[
        'fix my python function',
        'this code has a bug',
        'python traceback in my function',
        'debug the failing code',
      ].map((text) => ({ text, model: 'coder' })),
      ...['solve the integral of x', 'an equation with two unknowns', 'integral of sine', 'solve this equation'].map(
        (text) => ({
          text,
          model: 'mathy',
        }),
      ),
    ];
    const data = await file('examples.jsonl', examples.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const trained = await cli([
      'router',
      'train',
      '--data',
      data,
      '--embedding-model',
      'embedder',
      '--virtual-model',
      'trained',
    ]);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/^coder: 4 examples, \d routed back to it \(\d+%\)\nmathy: 4 examples/);
    const doc = parse(trained.stdout);
    expect(doc).toMatchObject({ kind: 'VirtualModel', metadata: { name: 'trained', workspace: bed.ws } });
    const config = doc.spec.request_middleware[0].config;
    expect(config.targets.map((t: { model: string }) => t.model)).toEqual(['coder', 'mathy']);
    expect(config.targets[0].centroid).toHaveLength(256);

    const policy = await file('trained.yaml', trained.stdout);
    expect(await cli(['apply', '-f', policy])).toMatchObject({ code: 0, stdout: 'virtualmodel/trained created\n' });
    expect(await cli(['apply', '-f', policy])).toMatchObject({ code: 0, stdout: 'virtualmodel/trained unchanged\n' });
    await waitUntil(async () => (await bed.chat('trained', user('x'))).status === 200);
    const res = await bed.chat('trained', user('please fix the bug in my python code'));
    expect(res.headers.get('x-modelplane-route-target')).toBe(`${bed.ws}/coder`);
    expect((await cli(['get', 'vm', 'trained'])).stdout).toMatch(
      /^NAME +DEFAULT +MIDDLEWARE +VERSION +AGE\ntrained +embedding_router +1 /,
    );

    const bad = await cli([
      'router',
      'train',
      '--data',
      await file('bad.jsonl', '{"text": "x"}\n'),
      '--embedding-model',
      'embedder',
    ]);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('bad.jsonl:1: "model" must name a model entity');
  });

  it('copies a share of requests to the shadow after the answer, and counts what it says beside the primary', async () => {
    await bed.virtualModel('shadowed', {
      default_model_entity: 'chatter',
      post_response_middleware: [step('shadow', { model: 'candidate', share: 1 })],
    });
    const before = await bed.answered('candidate');
    const res = await bed.chat('shadowed', user('hello'));
    expect([res.status, res.headers.get('x-modelplane-route-target')]).toEqual([200, `${bed.ws}/chatter`]);
    await res.text();
    await waitUntil(async () => (await bed.answered('candidate')) === before + 1);
    // The shadow's answer is counted once it is read, just after the simulator counts it.
    await waitUntil(async () => 'shadow candidate' in (await bed.attempts('shadowed')));
    expect(await bed.attempts('shadowed')).toEqual({
      'primary chatter': { '2xx': 1 },
      'shadow candidate': { '2xx': 1 },
    });
  });
});
