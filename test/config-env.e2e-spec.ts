import { jest } from '@jest/globals';
import { newWorkspace, nimConfig, startApi, uniqueName, type Api } from './api-harness.js';

jest.setTimeout(60_000);

/**
 * A deployment config's environment reaches its server: variables that load
 * code into a process are refused at write time (422 naming the variable),
 * for every runtime, unless the operator allows them (CONFIG_ENV_ALLOW).
 */
describe('deployment config environment (e2e)', () => {
  let api: Api;
  let allowing: Api;
  let ws: string;

  beforeAll(async () => {
    [api, allowing] = await Promise.all([startApi(), startApi({ CONFIG_ENV_ALLOW: 'NODE_OPTIONS, LD_LIBRARY_PATH' })]);
    ws = await newWorkspace(api, 'env');
  });
  afterAll(async () => {
    await Promise.all([api?.close(), allowing?.close()]);
  });

  const withEnvs = (additional_envs: Record<string, string>, extra: Record<string, unknown> = {}) =>
    nimConfig(uniqueName('cfg'), { executor_config: { gpu: 1, additional_envs, ...extra } });
  const create = (target: Api, body: Record<string, unknown>) =>
    target.request('POST', `/v2/workspaces/${ws}/deployment-configs`, body);

  it.each([
    ['NODE_OPTIONS', '--import=data:text/javascript,process.exit(7)', /NODE_OPTIONS may not be set: it passes options/],
    ['LD_PRELOAD', '/tmp/evil.so', /LD_PRELOAD may not be set: it configures the dynamic linker/],
    ['LD_AUDIT', '/tmp/evil.so', /LD_AUDIT may not be set/],
    ['LD_LIBRARY_PATH', '/tmp', /LD_LIBRARY_PATH may not be set/],
    ['DYLD_INSERT_LIBRARIES', '/tmp/evil.dylib', /DYLD_INSERT_LIBRARIES may not be set/],
    ['PYTHONPATH', '/tmp', /PYTHONPATH may not be set/],
    ['PYTHONSTARTUP', '/tmp/x.py', /PYTHONSTARTUP may not be set/],
    ['BASH_ENV', '/tmp/x.sh', /BASH_ENV may not be set/],
    ['ENV', '/tmp/x.sh', /ENV may not be set/],
    ['PERL5OPT', '-Mevil', /PERL5OPT may not be set/],
    ['JAVA_TOOL_OPTIONS', '-javaagent:/tmp/a.jar', /JAVA_TOOL_OPTIONS may not be set/],
    ['GLIBC_TUNABLES', 'glibc.malloc.mxfast=0', /GLIBC_TUNABLES may not be set/],
    ['PATH', '/tmp', /PATH may not be set/],
  ])('refuses %s with 422 naming the variable, and stores nothing', async (name, value, message) => {
    const body = withEnvs({ NIM_MAX_MODEL_LEN: '8192', [name]: value });
    const res = await create(api, body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      detail: [
        { type: 'value_error', loc: ['body', 'executor_config', 'additional_envs', name], msg: expect.any(String) },
      ],
      code: 'deployment_config/env_not_allowed',
    });
    expect(res.body.detail[0].msg).toMatch(message);
    expect(res.body.detail[0].msg).toContain('CONFIG_ENV_ALLOW');
    expect(res.text).not.toContain(value);
    expect((await api.request('GET', `/v2/workspaces/${ws}/deployment-configs/${body.name}`)).status).toBe(404);
  });

  it('refuses it in a new version too', async () => {
    const body = withEnvs({ OK: '1' });
    expect((await create(api, body)).status).toBe(201);
    const { name: _name, ...next } = withEnvs({ LD_PRELOAD: '/tmp/evil.so' });
    const res = await api.request('POST', `/v2/workspaces/${ws}/deployment-configs/${body.name}`, next);
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(['body', 'executor_config', 'additional_envs', 'LD_PRELOAD']);
  });

  it('refuses it in the env of a container that override_config names', async () => {
    const override = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'nim',
                env: [
                  { name: 'HF_HOME', value: '/cache' },
                  { name: 'BASH_ENV', value: 'x' },
                ],
              },
            ],
          },
        },
      },
    };
    const res = await create(api, withEnvs({}, { override_config: override }));
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual([
      'body',
      'executor_config',
      'override_config',
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'env',
      1,
      'name',
    ]);
    expect(res.body.detail[0].msg).toMatch(/^BASH_ENV may not be set/);
  });

  it('matches names case-sensitively, as the kernel does, and accepts ordinary variables', async () => {
    const res = await create(
      api,
      withEnvs({ ld_preload: 'x', NODE_ENV: 'production', MALLOC_ARENA_MAX: '2', PYTHONUNBUFFERED: '1', LDX: 'y' }),
    );
    expect(res.status).toBe(201);
  });

  it('names the variable when its name is not an environment variable name', async () => {
    const res = await create(api, withEnvs({ 'A=B': 'x' }));
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(['body', 'executor_config', 'additional_envs']);
    expect(res.body.detail[0].msg).toContain("'A=B' is not an environment variable name");
  });

  it('accepts exactly the names the operator allows (CONFIG_ENV_ALLOW)', async () => {
    const ok = await create(
      allowing,
      withEnvs({ NODE_OPTIONS: '--max-old-space-size=512', LD_LIBRARY_PATH: '/opt/x' }),
    );
    expect(ok.status).toBe(201);
    expect(ok.body.executor_config.additional_envs).toEqual({
      NODE_OPTIONS: '--max-old-space-size=512',
      LD_LIBRARY_PATH: '/opt/x',
    });
    const other = await create(allowing, withEnvs({ LD_PRELOAD: '/tmp/evil.so' }));
    expect(other.status).toBe(422);
    expect(other.body.detail[0].loc).toEqual(['body', 'executor_config', 'additional_envs', 'LD_PRELOAD']);
  });
});
