import { execFile } from 'node:child_process';
import { stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { newWorkspace, startApi, uniqueName, type Api } from './api-harness.js';
import { cliFor, documentsDir } from './cli-harness.js';

/**
 * The rest of `modelplane` against a real API: output formats, diff's exit
 * codes, secrets from the environment, models and providers, keys, contexts,
 * and how errors end (exit 2 for what the user wrote, 3 for what the API said).
 */
describe('modelplane CLI: commands', () => {
  let api: Api;
  let ws: string;
  let cli: ReturnType<typeof cliFor>;
  let file: Awaited<ReturnType<typeof documentsDir>>;

  beforeAll(async () => {
    api = await startApi();
    ws = await newWorkspace(api, 'clic');
    cli = cliFor(api.url, ws);
    file = await documentsDir();
  });
  afterAll(async () => {
    await api.close();
  });

  const config = (name: string, gpu = 1) =>
    `kind: DeploymentConfig\nmetadata: {name: ${name}}\nspec: {engine: nim, model_spec: {model_name: m}, executor_config: {gpu: ${gpu}}}\n`;

  it('prints one object or a list as table, json, yaml or name', async () => {
    expect((await cli(['apply', '-f', '-'], { stdin: config('fmt-a') + '---\n' + config('fmt-b', 2) })).code).toBe(0);
    const table = await cli(['get', 'deploymentconfigs']);
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME +VERSION +ENGINE +MODEL +GPU +AGE$/);
    expect(rows.map((r) => r.split(/ +/).slice(0, 5))).toEqual(
      expect.arrayContaining([
        ['fmt-a', '1', 'nim', 'm', '1'],
        ['fmt-b', '1', 'nim', 'm', '2'],
      ]),
    );
    const json = JSON.parse((await cli(['list', 'dc', '-o', 'json'])).stdout) as { name: string }[];
    expect(json.map((c) => c.name).sort()).toEqual(['fmt-a', 'fmt-b']);
    expect(parse((await cli(['get', 'dc/fmt-b', '-o', 'yaml'])).stdout)).toMatchObject({
      name: 'fmt-b',
      workspace: ws,
      executor_config: { gpu: 2, disk_size: '50Gi' },
    });
    expect((await cli(['get', 'deployment-configs', '-o', 'name'])).stdout.split('\n').sort()).toEqual([
      '',
      'deploymentconfig/fmt-a',
      'deploymentconfig/fmt-b',
    ]);
    expect(await cli(['get', 'dc', '-o', 'xml'])).toMatchObject({ code: 2 });
    const described = await cli(['describe', 'dc', 'fmt-a']);
    expect(parse(described.stdout)).toMatchObject({ name: 'fmt-a', engine: 'nim' });
  });

  it('diff exits 0 when nothing would change, 1 when something would, 2 for a bad document, 3 for an API error', async () => {
    const docs = await file('diff.yaml', config('diffed'));
    expect((await cli(['diff', '-f', docs])).code).toBe(1);
    expect((await cli(['apply', '-f', docs])).stdout).toBe('deploymentconfig/diffed created (version 1)\n');
    expect(await cli(['diff', '-f', docs])).toMatchObject({ code: 0, stdout: '' });
    expect((await cli(['diff', '-f', await file('gpu.yaml', config('diffed', 4))])).stdout).toContain(
      '-  gpu: 1\n+  gpu: 4',
    );
    const bad = await cli(['diff', '-f', await file('bad.yaml', 'kind: Nope\nmetadata: {name: x}\n')]);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('kind must be one of Secret, Model, Provider, DeploymentConfig, Deployment');
    const denied = await cli(['diff', '-f', docs], { env: { MODELPLANE_API_KEY: 'mp_000000000000_nope' } });
    expect(denied).toMatchObject({ code: 3 });
    expect(denied.stderr).toMatch(/^error: 401 Unauthorized: .*\[auth\/credential_invalid\]\n$/);
    const unreachable = await cli(['diff', '-f', docs], { env: { MODELPLANE_URL: 'http://127.0.0.1:9' } });
    expect(unreachable).toMatchObject({ code: 3 });
    expect(unreachable.stderr).toContain('cannot reach http://127.0.0.1:9');
  });

  it('reports the API’s validation errors with the field, and exits 3', async () => {
    const run = await cli(['apply', '-f', await file('invalid.yaml', config('invalid', -1))]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: 422 Unprocessable Entity: body\.executor_config\.gpu: .+/);
  });

  it('takes secret values from the environment only, and rewrites them only when they change', async () => {
    const docs = await file(
      'secret.yaml',
      'kind: Secret\nmetadata: {name: hf}\nspec: {description: token, valueFrom: {env: HF_TOKEN}}\n',
    );
    const missing = await cli(['apply', '-f', docs], { env: { HF_TOKEN: undefined } });
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('the environment variable HF_TOKEN is not set');
    expect((await api.request('GET', `/v2/workspaces/${ws}/secrets/hf`)).status).toBe(404);

    expect((await cli(['apply', '-f', docs], { env: { HF_TOKEN: 'one' } })).stdout).toBe('secret/hf created\n');
    expect((await cli(['apply', '-f', docs], { env: { HF_TOKEN: 'one' } })).stdout).toBe('secret/hf unchanged\n');
    expect((await cli(['apply', '-f', docs], { env: { HF_TOKEN: 'two' } })).stdout).toBe('secret/hf configured\n');
    const shown = await cli(['get', 'secret', 'hf', '-o', 'json'], { env: { HF_TOKEN: 'two' } });
    expect(shown.stdout).not.toContain('two');
    expect(JSON.parse(shown.stdout)).toMatchObject({ name: 'hf', description: 'token' });
  });

  it('applies models and providers in dependency order, idempotently', async () => {
    const docs = await file(
      'registry.yaml',
      [
        'kind: Provider',
        'metadata: {name: hosted}',
        'spec: {host_url: "http://127.0.0.1:9", api_key_secret_name: hosted-key}',
        '---',
        'kind: Model',
        'metadata: {name: llama}',
        'spec: {description: Llama, custom_fields: {team: a}}',
        '---',
        'kind: Secret',
        'metadata: {name: hosted-key}',
        'spec: {valueFrom: {env: HOSTED_KEY}}',
        '',
      ].join('\n'),
    );
    const env = { HOSTED_KEY: 'k' };
    const first = await cli(['apply', '-f', docs], { env });
    expect(first).toMatchObject({
      code: 0,
      stdout: 'secret/hosted-key created\nmodel/llama created\nprovider/hosted created\n',
    });
    expect((await cli(['apply', '-f', docs], { env })).stdout).toBe(
      'secret/hosted-key unchanged\nmodel/llama unchanged\nprovider/hosted unchanged\n',
    );
    const edited = await file('registry2.yaml', (await readFile(docs, 'utf8')).replace('team: a', 'team: b'));
    expect((await cli(['apply', '-f', edited], { env })).stdout).toContain('model/llama configured\n');
    expect((await api.request('GET', `/v2/workspaces/${ws}/models/llama`)).body.custom_fields).toEqual({ team: 'b' });
  });

  it('creates, lists, rotates and revokes API keys; the key is printed once, on stdout', async () => {
    const name = uniqueName('ci');
    const created = await cli(['keys', 'create', name, '--scope', 'read', '--principal', `service-account:${name}`]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^mp_[0-9a-f]{12}_/);
    expect(created.stderr).toMatch(/^key apikey-\w+ \(service-account:ci-\w+, read\) created; it is shown once:\n$/);
    const id = /key (apikey-\w+)/.exec(created.stderr)?.[1] as string;
    const listed = await cli(['keys', 'list', '-o', 'json']);
    expect(JSON.parse(listed.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id, name })]));
    expect(listed.stdout).not.toContain(key);

    const rotated = await cli(['keys', 'rotate', id]);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout.trim()).toMatch(/^mp_/);
    expect(rotated.stdout.trim()).not.toBe(key);
    const newId = /replaced by (apikey-\w+)/.exec(rotated.stderr)?.[1] as string;
    expect((await cli(['keys', 'revoke', newId])).stdout).toBe(`key ${newId} revoked\n`);
    expect(await cli(['keys', 'create', 'x', '--scope', 'root'])).toMatchObject({ code: 2 });
  });

  it('reads named contexts from the config file, written readable by its owner only', async () => {
    const path = join(tmpdir(), `modelplane-config-${uniqueName('c')}.yaml`);
    const env = {
      MODELPLANE_CONFIG: path,
      MODELPLANE_URL: undefined,
      MODELPLANE_WORKSPACE: undefined,
      MODELPLANE_API_KEY: undefined,
      TEAM_KEY: 'test-admin-key-0123456789abcdef0123456789abcdef',
    };
    const set = await cli(
      ['config', 'set-context', 'team', '--server', api.url, '--ws', ws, '--api-key-env', 'TEAM_KEY', '--use'],
      { env },
    );
    expect(set).toMatchObject({ code: 0, stdout: `context team saved in ${path}\n` });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(parse(await readFile(path, 'utf8'))).toEqual({
      'current-context': 'team',
      contexts: { team: { url: api.url, workspace: ws, 'api-key-env': 'TEAM_KEY' } },
    });
    expect((await cli(['get', 'dc', '-o', 'name'], { env })).stdout).toContain('deploymentconfig/');
    // Flags and the environment win over the context.
    expect(await cli(['get', 'dc', '-w', 'no-such-workspace'], { env })).toMatchObject({ code: 3 });
    expect(await cli(['get', 'dc', '--context', 'other'], { env })).toMatchObject({ code: 2 });
  });

  it('ships a bin that exits with the CLI’s code', async () => {
    const bin = join(process.cwd(), 'cli', 'bin', 'modelplane.js');
    const run = promisify(execFile);
    const version = await run(process.execPath, [bin, '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const usage = await run(process.execPath, [bin, 'get'], { env: { PATH: process.env.PATH } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(usage).toMatchObject({ code: 2 });
    expect((usage as { stderr: string }).stderr).toContain("missing required argument 'kind'");
  });
});
