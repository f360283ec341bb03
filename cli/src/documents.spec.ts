import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDocuments } from './documents.js';
import { UsageError } from './exit-codes.js';
import { parseDuration } from './wait.js';

describe('documents', () => {
  let dir: string;
  const noStdin = async () => '';
  const write = async (name: string, text: string) => {
    await writeFile(join(dir, name), text);
    return join(dir, name);
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modelplane-docs-'));
  });

  it('reads multi-document YAML, JSON arrays and directories, with the default workspace', async () => {
    await write(
      'a.yaml',
      'kind: DeploymentConfig\nmetadata: {name: c}\nspec: {engine: nim}\n---\nkind: Deployment\nmetadata: {name: d, workspace: other}\nspec: {config: c}\n---\n',
    );
    await write('b.json', JSON.stringify([{ kind: 'Model', metadata: { name: 'm' }, spec: {} }]));
    await write('notes.txt', 'not a document');
    const docs = await readDocuments([dir], 'team', noStdin);
    expect(docs.map((d) => [d.kind, d.workspace, d.name])).toEqual([
      ['DeploymentConfig', 'team', 'c'],
      ['Deployment', 'other', 'd'],
      ['Model', 'team', 'm'],
    ]);
    expect(docs[1].source).toBe(`${join(dir, 'a.yaml')}#2`);
  });

  it('reads stdin for -', async () => {
    const docs = await readDocuments(['-'], 'team', async () => 'kind: Model\nmetadata: {name: m}\n');
    expect(docs).toEqual([{ kind: 'Model', name: 'm', workspace: 'team', spec: {}, source: 'stdin' }]);
  });

  it.each([
    ['kind: Pod\nmetadata: {name: x}\n', /kind must be one of/],
    ['kind: Model\nmetadata: {}\n', /metadata.name must be a non-empty string/],
    ['kind: Model\nmetadata: {name: m, labels: {}}\n', /unknown field "metadata.labels"/],
    ['kind: Model\nmetadata: {name: m}\nstatus: {}\n', /unknown field "status"/],
    ['kind: Model\nmetadata: {name: m}\nspec: {name: n}\n', /spec.name is not allowed/],
    ['kind: Secret\nmetadata: {name: s}\nspec: {value: hunter2}\n', /secret values come from the environment/],
    ['kind: Secret\nmetadata: {name: s}\nspec: {valueFrom: {env: "1X"}}\n', /valueFrom.env must name/],
    ['apiVersion: v2\nkind: Model\nmetadata: {name: m}\n', /apiVersion "v2" is not supported/],
    ['kind: Model\nmetadata: {name: m\n', /a.yaml/],
  ])('refuses %j with a usage error that names the file and the rule', async (text, message) => {
    const file = await write('a.yaml', text);
    const error = await readDocuments([file], 'team', noStdin).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
  });

  it('refuses a document without a workspace, and the same object declared twice', async () => {
    const file = await write('a.yaml', 'kind: Model\nmetadata: {name: m}\n');
    await expect(readDocuments([file], undefined, noStdin)).rejects.toThrow(/metadata.workspace is missing/);
    const twice = await write('b.yaml', 'kind: Model\nmetadata: {name: m}\n---\nkind: Model\nmetadata: {name: m}\n');
    await expect(readDocuments([twice], 'team', noStdin)).rejects.toThrow(/also declared in/);
    await expect(readDocuments([join(dir, 'missing.yaml')], 'team', noStdin)).rejects.toThrow(/no such file/);
  });
});

describe('durations', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '5 minutes', '-1s'])('%j is a usage error', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });
});
