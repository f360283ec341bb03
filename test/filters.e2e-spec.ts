import { jest } from '@jest/globals';
import { newWorkspace, nimConfig, startApi, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(120_000);

const enc = encodeURIComponent;

/**
 * List filters through a real server: NeMo's `$like`, the text form, and
 * values PostgreSQL would refuse (which must come back as 400, never 500).
 */
describe('list filters (e2e)', () => {
  let api: Api;
  let ws: string;
  let other: string;
  const path = (resource: string) => `/v2/workspaces/${ws}/${resource}`;
  const get = (resource: string, query: string) => api.request('GET', `${path(resource)}?${query}`);
  const text = (resource: string, filter: string, extra = '') => get(resource, `filter=${enc(filter)}${extra}`);
  const names = (res: ApiResponse): string[] => {
    expect([res.status, res.body.detail]).toEqual([200, undefined]);
    return res.body.data.map((r: { name: string; entity_version?: number }) =>
      r.entity_version === undefined ? r.name : `${r.name}@${r.entity_version}`,
    );
  };

  beforeAll(async () => {
    api = await startApi();
    ws = await newWorkspace(api, 'flt');
    other = await newWorkspace(api, 'flt-other');
    const post = async (url: string, body: Record<string, unknown>) => {
      const res = await api.request('POST', url, body);
      if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${res.text}`);
    };
    for (const [name, description] of [
      ['prefix-one', 'first'],
      ['prefix-two', '100% C:\\models\\two'],
      ['other-prefix', 'a "quoted" one'],
      ['a_b', 'underscore'],
      ['axb', null],
    ] as const) {
      await post(path('models'), { name, ...(description === null ? {} : { description }) });
    }
    await post(`/v2/workspaces/${other}/models`, { name: 'prefix-elsewhere' });
    await post(path('secrets'), { name: 'flt-secret', value: 'not-shown' });
    await post(path('providers'), { name: 'flt-provider', host_url: 'http://127.0.0.1:9' });
    await post(path('deployment-configs'), nimConfig('cfg-a'));
    await post(path('deployment-configs'), nimConfig('cfg-b'));
    const { name: _name, ...cfgBody } = nimConfig('unused');
    await post(`${path('deployment-configs')}/cfg-a`, cfgBody);
    await post(path('deployments'), { name: 'dep-a', config: 'cfg-a' });
    await post(path('deployments'), { name: 'dep-b', config: 'cfg-b' });
    await post(path('deployments'), { name: 'dep-c', config: 'cfg-a', config_version: 1 });
    await post(`${path('deployments')}/dep-c`, { config: 'cfg-b' });
    for (const [name, status] of [
      ['dep-a', 'READY'],
      ['dep-b', 'PENDING'],
    ]) {
      const res = await api.request('POST', `${path('deployments')}/${name}/status`, {
        status,
        status_message: status,
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  describe("$like as NeMo matches it: ILIKE '%' || value || '%'", () => {
    it.each([
      [
        'prefix% matches names containing prefix (NeMo end-to-end test)',
        '{"name":{"$like":"prefix%"}}',
        ['prefix-one', 'prefix-two', 'other-prefix'],
      ],
      ['% inside is a wildcard', '{"name":{"$like":"pre%two"}}', ['prefix-two']],
      ['_ is any one character', '{"name":{"$like":"a_b"}}', ['a_b', 'axb']],
      ['\\_ is a literal _', '{"name":{"$like":"a\\\\_b"}}', ['a_b']],
      ['\\% is a literal %', '{"description":{"$like":"100\\\\%"}}', ['prefix-two']],
      ['\\\\ is a literal backslash', '{"description":{"$like":"C:\\\\\\\\models"}}', ['prefix-two']],
      ['a trailing backslash is literal', '{"description":{"$like":"C:\\\\"}}', ['prefix-two']],
      ['a trailing backslash is no escape', '{"description":{"$like":"two\\\\"}}', []],
      ['case-insensitive', '{"name":{"$like":"PREFIX-%"}}', ['prefix-one', 'prefix-two']],
    ])('%s', async (_label, json, expected) => {
      expect(names(await get('models', `filter=${enc(json)}`))).toEqual(expected);
    });

    it('the bracket form too', async () => {
      expect(names(await get('models', 'filter[name][$like]=prefix%25'))).toEqual([
        'prefix-one',
        'prefix-two',
        'other-prefix',
      ]);
    });
  });

  describe('the text form', () => {
    it.each([
      ['models', 'name:"prefix-one"', ['prefix-one']],
      ['models', 'name:prefix-one OR name:a_b', ['prefix-one', 'a_b']],
      ['models', 'name~prefix AND -name~other', ['prefix-one', 'prefix-two']],
      ['models', 'name~"prefix%"', ['prefix-one', 'prefix-two', 'other-prefix']],
      ['models', 'NOT name~prefix', ['a_b', 'axb']],
      ['models', 'description:null', ['axb']],
      ['models', '-description:null AND name IN (axb, a_b, "prefix-two")', ['prefix-two', 'a_b']],
      ['models', 'name NOT IN (a_b, axb) AND description~"quoted"', ['other-prefix']],
      [
        'models',
        'created_at>2000-01-01 AND trust_remote_code:false AND name~x',
        ['prefix-one', 'prefix-two', 'other-prefix', 'axb'],
      ],
      ['deployments', 'status:READY', ['dep-a@1']],
      ['deployments', 'status IN (READY, PENDING) AND -name:dep-b', ['dep-a@1', 'dep-c@2']],
      ['deployments', 'entity_version>1', ['dep-c@2']],
      ['deployments', 'entity_version>=1 AND entity_version<2', ['dep-a@1', 'dep-b@1']],
      ['deployments', 'name~dep- AND NOT (status:READY OR entity_version>=2)', ['dep-b@1']],
      ['deployments', 'config:cfg-b OR name:dep-a AND status:PENDING', ['dep-b@1', 'dep-c@2']],
      ['deployments', '(config:cfg-b OR name:dep-a) AND status:pending', null],
      ['deployment-configs', 'entity_version:2', ['cfg-a@2']],
      ['deployment-configs', 'engine:nim AND -name:cfg-a', ['cfg-b@1']],
    ])('%s: %s', async (resource, filter, expected) => {
      const res = await text(resource, filter);
      if (expected === null) {
        expect(res.status).toBe(400);
        expect(res.body.detail).toContain("field 'status' must be one of");
      } else {
        expect(names(res)).toEqual(expected);
      }
    });

    it('works with all_versions and paging', async () => {
      const res = await text('deployments', 'name:dep-c', '&all_versions=true&sort=-entity_version&page_size=1');
      expect(names(res)).toEqual(['dep-c@2']);
      expect(res.body.pagination.total_results).toBe(2);
    });

    it('a top-level workspace condition overrides the path workspace, as filter[workspace] does', async () => {
      expect(names(await text('models', `workspace:${other} AND name~prefix`))).toEqual(['prefix-elsewhere']);
      expect(names(await text('models', `name~elsewhere`))).toEqual([]);
    });

    it.each([
      ['status>', "Invalid filter: expected a value after 'status>', found the end of the filter at position 8"],
      [
        'status=READY',
        "Invalid filter: expected one of : ~ > >= < <= IN NOT IN after 'status', found '=READY' at position 7",
      ],
      [
        'status:READY name:x',
        "Invalid filter: expected AND, OR or the end of the filter, found 'name:x' at position 14",
      ],
      [
        '(status:READY',
        "Invalid filter: expected ')' to close the '(' at position 1, found the end of the filter at position 14",
      ],
      ['name:"x', 'Invalid filter: unterminated string: no closing " at position 6'],
      ['colour:red', "Invalid filter: unknown field 'colour'; filterable fields are"],
      [`${'('.repeat(20)}name:x${')'.repeat(20)}`, 'Invalid filter: nested deeper than 8 levels at position 9'],
    ])('refuses %s with 400 saying what was expected and where', async (filter, message) => {
      const res = await text('deployments', filter);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('list/invalid_filter');
      expect(res.body.detail).toContain(message);
    });
  });

  describe('integer values outside the column type', () => {
    const RANGE = 'takes an integer from -2147483648 to 2147483647';

    it.each([
      ['deployments', 'filter[entity_version]=999999999999999', "'entity_version'", "'999999999999999'"],
      ['deployments', 'filter[config_version][$gt]=2147483648', "'config_version'", "'2147483648'"],
      [
        'deployments',
        'filter[entity_version][$in][]=1&filter[entity_version][$in][]=-2147483649',
        "'entity_version'",
        "'-2147483649'",
      ],
      ['deployments', `filter=${enc('{"entity_version":1e309}')}`, "'entity_version'", "'Infinity'"],
      ['deployments', `filter=${enc('{"entity_version":{"$lt":1.5}}')}`, "'entity_version'", "'1.5'"],
      ['deployments', `filter=${enc('entity_version>99999999999')}`, "'entity_version'", "'99999999999'"],
      ['deployment-configs', 'filter[entity_version]=999999999999999', "'entity_version'", "'999999999999999'"],
    ])('%s?%s is 400 naming the field and the range', async (resource, query, field, got) => {
      const res = await get(resource, query);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        detail: `Invalid filter: field ${field} ${RANGE}; got ${got}`,
        code: 'list/invalid_filter',
      });
    });

    it('the ends of the range are fine', async () => {
      expect(names(await get('deployments', 'filter[entity_version][$lt]=2147483647'))).toHaveLength(3);
      expect(names(await get('deployments', 'filter[entity_version][$gt]=-2147483648'))).toHaveLength(3);
    });

    it.each([
      ['2025-02-30', 'not on the calendar'],
      ['2025-01-01T24:00:00Z', 'hour 24'],
      ['+275760-09-13', 'beyond 9999'],
    ])('a date that does not parse (%s: %s) is 400', async (value) => {
      const res = await get('deployments', `filter[created_at][$lt]=${enc(value)}`);
      expect(res.status).toBe(400);
      expect(res.body.detail).toBe(
        `Invalid filter: field 'created_at' takes an ISO 8601 date or date-time (2025-01-31, 2025-01-31T12:00:00Z); got '${value}'`,
      );
    });
  });

  describe('hostile values on every filterable field of every list', () => {
    const LISTS = ['workspaces', 'secrets', 'models', 'providers', 'deployment-configs', 'deployments'];
    const VALUES = [
      '999999999999999',
      '-2147483649',
      '1.5',
      '1e309',
      'NaN',
      '',
      '-0',
      'null',
      '2025-02-30',
      '0000-01-01T00:00:00+14:00',
      '9999-12-31T23:59:59-14:00',
      '_%_\\',
      "'; DROP TABLE models; --",
      'Å🙂',
      '\u0000',
    ];
    /** JSON values a query string cannot carry: numbers, booleans, null, lists, lone surrogates. */
    const JSON_VALUES = ['1e309', '99999999999999999999', '1.5', 'true', 'null', '[1, "a", null]', '"\\ud800"'];
    const urlOf = (resource: string) =>
      resource === 'workspaces' ? '/v2/workspaces' : `/v2/workspaces/${ws}/${resource}`;

    /** The filterable fields, as the API's own 400 lists them, so a field added later is covered too. */
    async function fieldsOf(resource: string): Promise<string[]> {
      const res = await api.request('GET', `${urlOf(resource)}?filter[zz-unknown]=1`);
      expect(res.status).toBe(400);
      const list = /filterable fields are (.+)$/.exec(res.body.detail)?.[1];
      expect(list).toBeDefined();
      return list!.split(', ');
    }

    /** Every value an enum field allows (they must all be values of its PostgreSQL type). */
    async function enumValuesOf(resource: string, field: string): Promise<string[]> {
      const res = await api.request('GET', `${urlOf(resource)}?filter[${field}]=zz-probe`);
      return /must be one of (.+); got/.exec(res.body.detail ?? '')?.[1]?.split(', ') ?? [];
    }

    it('never answers 5xx and never logs an error', async () => {
      const queries: string[] = [];
      for (const resource of LISTS) {
        for (const field of await fieldsOf(resource)) {
          const base = `${urlOf(resource)}?`;
          for (const value of [...VALUES, ...(await enumValuesOf(resource, field))]) {
            const v = enc(value);
            const quoted = `"${value.replace(/["\\]/g, '\\$&')}"`;
            queries.push(
              `${base}filter[${field}]=${v}`,
              `${base}filter[${field}][$like]=${v}`,
              `${base}filter[${field}][$nin][]=${v}`,
              `${base}filter=${enc(`${field}<${quoted} OR -${field}~${quoted}`)}`,
            );
          }
          for (const json of JSON_VALUES) {
            queries.push(
              `${base}filter=${enc(`{"${field}":${json}}`)}`,
              `${base}filter=${enc(`{"$or":[{"${field}":{"$lt":${json}}},{"${field}":{"$in":${json}}}]}`)}`,
            );
          }
        }
      }
      const failures: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < queries.length) {
          const query = queries[next++];
          const res = await api.request('GET', query);
          const detail = res.body?.detail;
          if (res.status >= 500 || (res.status >= 400 && typeof detail !== 'string' && !Array.isArray(detail))) {
            failures.push(`${res.status} ${decodeURIComponent(query).slice(0, 200)}: ${res.text.slice(0, 200)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      expect(failures).toEqual([]);
      expect(queries.length).toBeGreaterThan(2000);
      expect(api.logs.filter((l) => l.includes('[HttpError]'))).toEqual([]);
    });
  });
});
