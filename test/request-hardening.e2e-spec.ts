import { connect } from 'node:net';
import { newWorkspace, nimConfig, startApi, uniqueName, withAuth, type Api } from './api-harness.js';

/** What the API does with requests that are not what it documents: issue 10's request-handling items. */
describe('request hardening', () => {
  let api: Api;
  let ws: string;

  beforeAll(async () => {
    api = await startApi({ MAX_JSON_DEPTH: '16' });
    ws = await newWorkspace(api, 'hard');
  }, 30_000);

  afterAll(async () => {
    await api?.close();
  });

  const raw = (path: string, body: string | undefined, headers: Record<string, string>, method = 'POST') =>
    fetch(api.url + path, { method, body, headers: withAuth(headers) }).then(async (res) => ({
      status: res.status,
      body: await res.json().catch(() => undefined),
    }));

  describe('JSON only (CSRF)', () => {
    it.each([
      ['a form', 'application/x-www-form-urlencoded', 'name=form-made'],
      ['text/plain', 'text/plain', '{"name":"text-made"}'],
      [
        'multipart',
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--',
      ],
      ['merge-patch+json', 'application/merge-patch+json', '{"name":"merge-made"}'],
      ['JSON in latin1', 'application/json; charset=latin1', '{"name":"latin-made"}'],
    ])('refuses %s with 415 and creates nothing', async (_label, type, body) => {
      const res = await raw('/v2/workspaces', body, { 'content-type': type });
      expect(res.status).toBe(415);
      expect(res.body).toEqual({
        detail: expect.stringContaining('application/json'),
        code: 'request/unsupported_media_type',
      });
      for (const name of ['form-made', 'text-made', 'merge-made', 'latin-made'])
        expect((await api.request('GET', `/v2/workspaces/${name}`)).status).toBe(404);
    });

    it('accepts application/json with charset utf-8, and requests without a body or content type', async () => {
      const name = uniqueName('cs');
      const created = await raw(`/v2/workspaces/${ws}/secrets`, JSON.stringify({ name, value: 'v' }), {
        'content-type': 'application/json; charset=utf-8',
      });
      expect(created.status).toBe(201);
      expect((await api.request('POST', '/v2/admin/secrets/rotate')).status).toBe(200);
      const emptyJson = await raw(
        `/v2/workspaces/${ws}/secrets/${name}`,
        '',
        { 'content-type': 'application/json' },
        'DELETE',
      );
      expect(emptyJson.status).toBe(204);
    });

    it('answers a missing body with 422 naming the body', async () => {
      const res = await api.request('POST', '/v2/workspaces');
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual([
        { type: 'model_attributes_type', loc: ['body'], msg: 'body must be a JSON object' },
      ]);
    });
  });

  describe('JSON bodies', () => {
    it('refuses nesting deeper than MAX_JSON_DEPTH with 400 naming the limit, before parsing', async () => {
      for (const path of ['/v2/workspaces', `/v2/workspaces/${ws}/models`, `/v2/workspaces/${ws}/deployment-configs`]) {
        const deep = `{"name":"x","custom_fields":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`;
        const res = await api.request('POST', path, deep);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ detail: expect.stringContaining('16 levels'), code: 'request/too_deep' });
      }
      const fine = await api.request('POST', `/v2/workspaces/${ws}/models`, {
        name: uniqueName('deep'),
        custom_fields: JSON.parse(`${'{"a":'.repeat(14)}1${'}'.repeat(14)}`),
      });
      expect(fine.status).toBe(201);
    });

    it.each([
      [
        'NUL nested 10 deep',
        `{"name":"m-nul","custom_fields":${'{"a":'.repeat(10)}"x\\u0000"${'}'.repeat(10)}}`,
        ['body', 'custom_fields', ...Array(10).fill('a')],
        'string_nul',
      ],
      [
        'a lone surrogate',
        '{"name":"m-sur","description":"\\ud800"}',
        ['body', 'description'],
        'string_lone_surrogate',
      ],
      [
        'a lone surrogate in a key',
        '{"name":"m-key","custom_fields":{"\\udc00":1}}',
        ['body', 'custom_fields', '\udc00'],
        'string_lone_surrogate',
      ],
      [
        'a __proto__ key',
        '{"name":"m-pro","custom_fields":{"__proto__":{"x":1}}}',
        ['body', 'custom_fields', '__proto__'],
        'string_forbidden_key',
      ],
      [
        'a constructor key',
        '{"name":"m-con","constructor":{"prototype":{"x":1}}}',
        ['body', 'constructor'],
        'string_forbidden_key',
      ],
    ])('refuses %s with 422 naming where', async (_label, body, loc, type) => {
      const res = await api.request('POST', `/v2/workspaces/${ws}/models`, body);
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual([{ type, loc, msg: expect.any(String) }]);
    });

    it('finds NUL at any depth the limit allows (the old check stopped at 64 levels)', async () => {
      const deeper = await startApi({ MAX_JSON_DEPTH: '128' });
      try {
        const depth = 100;
        const body = `{"name":"m-deepnul","custom_fields":${'{"a":'.repeat(depth)}"x\\u0000"${'}'.repeat(depth)}}`;
        const res = await deeper.request('POST', `/v2/workspaces/${ws}/models`, body);
        expect(res.status).toBe(422);
        expect(res.body.detail).toEqual([
          { type: 'string_nul', loc: ['body', 'custom_fields', ...Array(depth).fill('a')], msg: expect.any(String) },
        ]);
      } finally {
        await deeper.close();
      }
    });

    it.each([
      ['an array', '[{"name":"x"}]'],
      ['a string', '"x"'],
      ['null', 'null'],
      ['a number', '7'],
    ])('answers %s as the body with 422 "must be a JSON object", not "not valid JSON"', async (_label, body) => {
      const res = await api.request('POST', '/v2/workspaces', body);
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual([
        { type: 'model_attributes_type', loc: ['body'], msg: 'body must be a JSON object' },
      ]);
    });

    it('says what is wrong with malformed JSON without quoting the body (it may hold a secret)', async () => {
      for (const body of ['{"name":"x","value": sk-do-not-echo}', '{"name":"x","value":"sk-do-not-echo"']) {
        const res = await api.request('POST', `/v2/workspaces/${ws}/secrets`, body);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('request/invalid_json');
        expect(res.body.detail).toMatch(/^Request body is not valid JSON: /);
        expect(res.text).not.toContain('sk-do-not-echo');
      }
    });
  });

  it('PATCH of a secret with a null value is 422 naming body.value; the value is kept', async () => {
    const name = uniqueName('nv');
    expect((await api.request('POST', `/v2/workspaces/${ws}/secrets`, { name, value: 'keep-me' })).status).toBe(201);
    const res = await api.request('PATCH', `/v2/workspaces/${ws}/secrets/${name}`, { value: null });
    expect(res.status).toBe(422);
    expect(res.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['body', 'value']);
    expect((await api.request('PATCH', `/v2/workspaces/${ws}/secrets/${name}`, { description: null })).status).toBe(
      200,
    );
  });

  describe('query parameters given as lists or objects', () => {
    beforeAll(async () => {
      expect((await api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, nimConfig('q-cfg'))).status).toBe(
        201,
      );
      expect(
        (await api.request('POST', `/v2/workspaces/${ws}/deployments`, { name: 'q-dep', config: 'q-cfg' })).status,
      ).toBe(201);
    });

    it.each([
      ['wait_for', '/deployments/q-dep?wait_for[]=READY'],
      ['wait_for', '/deployments/q-dep?wait_for=READY&wait_for=FAILED'],
      ['timeout', '/deployments/q-dep?wait_for=CREATED&timeout[a]=1'],
      ['until', '/deployments/q-dep/events?until[]=READY'],
      ['all_versions', '/deployments?all_versions[]=true'],
      ['version', '/deployments/q-dep/status?version[]=1'],
      ['sort', '/deployments?sort[]=name'],
    ])('%s: 422 naming the parameter (%s)', async (param, path) => {
      const method = path.includes('/status') ? 'POST' : 'GET';
      const res = await api.request(
        method,
        `/v2/workspaces/${ws}${path}`,
        method === 'POST' ? { status: 'PENDING' } : undefined,
      );
      expect(res.status).toBe(422);
      expect(res.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['query', param]);
    });
  });

  it('bounds run_as_user and run_as_group to int32, integers only', async () => {
    for (const [field, value] of [
      ['run_as_user', 1e308],
      ['run_as_group', 2_147_483_648],
      ['run_as_user', 1.5],
    ] as const) {
      const res = await api.request(
        'POST',
        `/v2/workspaces/${ws}/deployment-configs`,
        nimConfig(uniqueName('uid'), { executor_config: { gpu: 1, [field]: value } }),
      );
      expect(res.status).toBe(422);
      expect(res.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(['body', 'executor_config', field]);
    }
    const max = nimConfig(uniqueName('uid'), {
      executor_config: { gpu: 1, run_as_user: 2_147_483_647, run_as_group: 0 },
    });
    expect((await api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, max)).status).toBe(201);
  });

  it('bounds quantities (disk_size, shm_size) to what Kubernetes keeps: at most 2^63-1, 3 decimals', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ gpu: 1, disk_size: '9Ei' }, ['body', 'executor_config', 'disk_size']],
      [{ gpu: 1, disk_size: '99999999999999999999' }, ['body', 'executor_config', 'disk_size']],
      [
        { gpu: 1, k8s_nim_operator_config: { shm_size: '1.2345Gi' } },
        ['body', 'executor_config', 'k8s_nim_operator_config', 'shm_size'],
      ],
    ];
    for (const [executor, loc] of cases) {
      const res = await api.request(
        'POST',
        `/v2/workspaces/${ws}/deployment-configs`,
        nimConfig(uniqueName('qty'), { executor_config: executor }),
      );
      expect(res.status).toBe(422);
      expect(res.body.detail.map((i: { loc: unknown }) => i.loc)).toContainEqual(loc);
    }
    const fine = nimConfig(uniqueName('qty'), {
      executor_config: { gpu: 1, disk_size: '7Ei', k8s_nim_operator_config: { shm_size: '1.5Gi' } },
    });
    expect((await api.request('POST', `/v2/workspaces/${ws}/deployment-configs`, fine)).status).toBe(201);
  });

  describe('errors raised before a route', () => {
    const onSocket = (payload: string) =>
      new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const { hostname, port } = new URL(api.url);
        const socket = connect(Number(port), hostname);
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString('latin1')));
        socket.on('error', reject);
        socket.on('close', () =>
          resolve({
            status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]),
            body: JSON.parse(data.slice(data.indexOf('\r\n\r\n') + 4)),
          }),
        );
        socket.end(payload);
      });

    it('431: headers too large, in the {"detail","code"} shape', async () => {
      const res = await onSocket(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(res).toEqual({
        status: 431,
        body: { detail: expect.stringContaining('bytes'), code: 'request/headers_too_large' },
      });
    });

    it('400: a request Node cannot parse, in the {"detail","code"} shape', async () => {
      const res = await onSocket('GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
      expect(res).toEqual({
        status: 400,
        body: { detail: expect.stringMatching(/^Malformed HTTP request/), code: 'request/malformed' },
      });
    });

    it('400 and 414 from the router, in the {"detail","code"} shape', async () => {
      expect(await raw('/v2/workspaces/%E0%A4%A', undefined, {}, 'GET')).toEqual({
        status: 400,
        body: { detail: expect.stringContaining('percent-encoded'), code: 'request/malformed' },
      });
      expect(await raw(`/v2/workspaces/${'a'.repeat(700)}`, undefined, {}, 'GET')).toEqual({
        status: 414,
        body: { detail: expect.stringContaining('600 characters'), code: 'request/uri_too_long' },
      });
      expect((await api.request('GET', '/v2/nothing-here')).body).toEqual({
        detail: 'Not found: GET /v2/nothing-here',
        code: 'route/not_found',
      });
    });
  });
});
