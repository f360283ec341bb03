import { changedFields, covers, projection } from './compare.js';

describe('apply compares the fields a document names', () => {
  const stored = {
    engine: 'nim',
    model_spec: { model_name: 'llama', lora_enabled: false },
    executor_config: { gpu: 1, disk_size: '50Gi', additional_args: [], additional_envs: { A: '1' } },
  };

  it('ignores server defaults the document leaves out', () => {
    const doc = {
      engine: 'nim',
      model_spec: { model_name: 'llama' },
      executor_config: { gpu: 1, additional_envs: { A: '1' } },
    };
    expect(covers(doc, stored)).toBe(true);
    expect(changedFields(doc, stored)).toEqual([]);
  });

  it('names each changed field by its dotted path', () => {
    const doc = { engine: 'vllm', executor_config: { gpu: 2, additional_envs: { A: '1', B: '2' } } };
    expect(changedFields(doc, stored)).toEqual(['engine', 'executor_config.gpu', 'executor_config.additional_envs.B']);
  });

  it('treats null as absent, and a null for a stored value as a change', () => {
    expect(covers({ description: null }, {})).toBe(true);
    expect(changedFields({ description: null }, { description: 'x' })).toEqual(['description']);
  });

  it('compares arrays whole: length and each element', () => {
    expect(covers({ args: ['--a'] }, { args: ['--a'] })).toBe(true);
    expect(covers({ args: ['--a'] }, { args: ['--a', '--b'] })).toBe(false);
    expect(covers({ m: [{ id: 'x' }] }, { m: [{ id: 'x', extra: 1 }] })).toBe(true);
    expect(covers({ n: 1 }, { n: '1' })).toBe(false);
  });

  it('cuts the stored object to the document’s shape for the diff', () => {
    const doc = { model_spec: { model_name: 'other' }, executor_config: { gpu: 1 } };
    expect(projection(stored, doc)).toEqual({ model_spec: { model_name: 'llama' }, executor_config: { gpu: 1 } });
  });
});
