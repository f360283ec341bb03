/** /v1/models: base models and LoRA adapters, named directly or found in NIM_PEFT_SOURCE. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, startTestSimulator, type TestSimulator } from './simulator.harness.js';

interface ModelCard {
  id: string;
  object: string;
  owned_by: string;
  root: string;
  parent: string | null;
  max_model_len: number;
  created: number;
  permission: unknown[];
}

async function models(sim: TestSimulator): Promise<ModelCard[]> {
  const res = await sim.get('/v1/models');
  expect(res.status).toBe(200);
  const body = (await json(res)) as { object: string; data: ModelCard[] };
  expect(body.object).toBe('list');
  return body.data;
}

describe('nim-sim /v1/models', () => {
  let sim: TestSimulator | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    sim = dir = undefined;
  });

  it('lists the served models as bases: root is the id, parent is null', async () => {
    sim = await startTestSimulator({ NIM_SERVED_MODEL_NAME: 'org/base,org/alias', NIM_MAX_MODEL_LEN: '4096' });
    const data = await models(sim);
    expect(data.map(({ id, root, parent }) => ({ id, root, parent }))).toEqual([
      { id: 'org/base', root: 'org/base', parent: null },
      { id: 'org/alias', root: 'org/alias', parent: null },
    ]);
    for (const card of data) {
      expect(card).toMatchObject({ object: 'model', owned_by: 'system', max_model_len: 4096 });
      expect(card.created).toBeGreaterThan(1_600_000_000);
      expect(card.permission).toHaveLength(1);
    }
  });

  it('lists SIM_LORA_ADAPTERS with the base model as parent, and serves them', async () => {
    sim = await startTestSimulator({ NIM_SERVED_MODEL_NAME: 'org/base', SIM_LORA_ADAPTERS: 'sql-lora,chat-lora' });
    const adapters = (await models(sim)).filter((m) => m.parent !== null);
    expect(adapters.map(({ id, root, parent }) => ({ id, root, parent }))).toEqual([
      { id: 'chat-lora', root: 'chat-lora', parent: 'org/base' },
      { id: 'sql-lora', root: 'sql-lora', parent: 'org/base' },
    ]);
    const res = await sim.post('/v1/completions', { model: 'sql-lora', prompt: 'SELECT' });
    expect(res.status).toBe(200);
    expect((await json(res)).model).toBe('sql-lora');
    expect(sim.logs[0]).toMatch(/ with 2 LoRA adapters$/);
  });

  it('lists the subdirectories of NIM_PEFT_SOURCE as adapters and picks up new ones on refresh', async () => {
    dir = await mkdtemp(join(tmpdir(), 'nim-sim-peft-'));
    await mkdir(join(dir, 'lora-a'));
    await mkdir(join(dir, '.hidden'));
    await writeFile(join(dir, 'README.md'), 'not an adapter');
    await mkdir(join(dir, 'elsewhere'), { recursive: true });
    await symlink(join(dir, 'elsewhere'), join(dir, 'lora-linked'));
    sim = await startTestSimulator({ NIM_PEFT_SOURCE: dir, NIM_PEFT_REFRESH_INTERVAL: '0.1' });
    const ids = async (): Promise<string[]> => (await models(sim!)).filter((m) => m.parent).map((m) => m.id);
    expect(await ids()).toEqual(['elsewhere', 'lora-a', 'lora-linked']);

    await mkdir(join(dir, 'lora-b'));
    await rm(join(dir, 'lora-a'), { recursive: true });
    const deadline = Date.now() + 3_000;
    while (!(await ids()).includes('lora-b') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await ids()).toEqual(['elsewhere', 'lora-b', 'lora-linked']);
    const gone = await sim.post('/v1/chat/completions', {
      model: 'lora-a',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(gone.status).toBe(404);
  });

  it('starts with no adapters when NIM_PEFT_SOURCE is missing, and says so once', async () => {
    sim = await startTestSimulator({ NIM_PEFT_SOURCE: '/nonexistent/nim-sim-peft', NIM_PEFT_REFRESH_INTERVAL: '0.05' });
    await new Promise((r) => setTimeout(r, 250));
    expect((await models(sim)).map((m) => m.id)).toEqual(['meta/llama-3.1-8b-instruct']);
    expect(sim.logs.filter((l) => l.includes('cannot list NIM_PEFT_SOURCE'))).toEqual([
      'nim-sim: cannot list NIM_PEFT_SOURCE /nonexistent/nim-sim-peft: ENOENT',
    ]);
  });
});
