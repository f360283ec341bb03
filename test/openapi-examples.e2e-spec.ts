import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { startApi, uniqueName, type Api } from './api-harness.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- an OpenAPI document is walked as plain JSON */

type Schema = Record<string, any>;
type Operation = { method: string; path: string; op: Schema };

const WRITES = ['post', 'put', 'patch'];
/** Resources in the order they depend on each other. */
const DEPENDENCY_ORDER = [
  'workspaces',
  'secrets',
  'providers',
  'models',
  'adapters',
  'virtual-models',
  'deployment-configs',
  'deployments',
];

/**
 * Swagger UI's own sample generator (the body "Try it out" starts from), run
 * on the schema as Swagger UI sees it: references inlined, allOf merged.
 */
function swaggerUiSample(): (schema: Schema) => unknown {
  const bundle = createRequire(import.meta.url)('swagger-ui-dist/swagger-ui-bundle.js');
  const system: { fn?: unknown } = {};
  const plugin = bundle.plugins.JSONSchema5Samples({ getSystem: () => system });
  system.fn = plugin.fn;
  return (schema) => JSON.parse(plugin.fn.getSampleSchema(schema, 'application/json', { includeWriteOnly: true }));
}

function resolve(doc: Schema, schema: any): any {
  if (Array.isArray(schema)) return schema.map((s) => resolve(doc, s));
  if (!schema || typeof schema !== 'object') return schema;
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()]);
  const { allOf, ...rest } = schema;
  const own = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, resolve(doc, v)]));
  return allOf ? Object.assign({}, ...allOf.map((s: Schema) => resolve(doc, s)), own) : own;
}

function operations(doc: Schema): Operation[] {
  return Object.entries(doc.paths as Record<string, Schema>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, op })),
  );
}

/** The request body Swagger UI offers: the operation's example, else a sample of its schema. */
function exampleBody(doc: Schema, op: Schema, sample: (s: Schema) => unknown): unknown {
  const media = op.requestBody?.content?.['application/json'];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0] as { value: unknown } | undefined;
  return first ? first.value : sample(resolve(doc, media.schema));
}

/**
 * Schemas Swagger UI cannot show properly: no type (rendered `{}`), an object
 * with no shape, `additionalProperties: {}`, or a free-form object without an
 * example (rendered `"additionalProp1": {}`).
 */
function untypedSchemas(doc: Schema): string[] {
  const problems: string[] = [];
  const walk = (s: any, at: string, hasExample: boolean): void => {
    if (!s || typeof s !== 'object') return;
    hasExample ||= s.example !== undefined;
    if (!['type', '$ref', 'oneOf', 'allOf', 'anyOf'].some((k) => k in s)) problems.push(`${at}: no type`);
    if (s.type === 'object' && !s.properties && s.additionalProperties === undefined && !s.allOf)
      problems.push(`${at}: object without properties`);
    const extra = s.additionalProperties;
    if (extra && typeof extra === 'object' && Object.keys(extra).length === 0)
      problems.push(`${at}: additionalProperties {}`);
    if (extra === true && !hasExample) problems.push(`${at}: free-form object without an example`);
    if (extra && typeof extra === 'object') walk(extra, `${at}.*`, hasExample);
    if (s.items) walk(s.items, `${at}[]`, hasExample);
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${at}.${k}`, false);
    for (const k of ['oneOf', 'allOf', 'anyOf'])
      (s[k] ?? []).forEach((v: Schema, i: number) => walk(v, `${at}.${k}[${i}]`, hasExample));
  };
  for (const [name, schema] of Object.entries(doc.components.schemas)) walk(schema, name, false);
  for (const { method, path, op } of operations(doc)) {
    for (const p of op.parameters ?? []) walk(p.schema, `${method} ${path} ?${p.name}`, p.example !== undefined);
    for (const [status, r] of Object.entries<Schema>(op.responses ?? {}))
      for (const c of Object.values<Schema>(r.content ?? {})) walk(c.schema, `${method} ${path} ${status}`, false);
  }
  return problems;
}

function orderOf({ method, path }: Operation): [number, number, number] {
  const segments = path.split('/').filter(Boolean);
  const resource = Math.max(...segments.map((s) => DEPENDENCY_ORDER.indexOf(s)));
  return [resource < 0 ? DEPENDENCY_ORDER.length : resource, segments.length, WRITES.indexOf(method)];
}

function byDependency(a: Operation, b: Operation): number {
  const [x, y] = [orderOf(a), orderOf(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

describe('OpenAPI document', () => {
  let api: Api;
  let doc: Schema;
  let sample: (schema: Schema) => unknown;

  beforeAll(async () => {
    // No worker: deployment writes only queue their jobs.
    api = await startApi();
    doc = (await api.request('GET', '/docs-json')).body;
    sample = swaggerUiSample();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('gives every schema a type Swagger UI can render', () => {
    expect(doc.openapi).toBe('3.0.0');
    expect(untypedSchemas(doc)).toEqual([]);
  });

  it('declares nullable fields with their real type', () => {
    const executor = doc.components.schemas.ExecutorConfigDto.properties;
    expect(executor.run_as_user).toMatchObject({ type: 'integer', nullable: true });
    expect(executor.image_tag).toMatchObject({ type: 'string', nullable: true });
    expect(executor.additional_envs).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(executor.k8s_nim_operator_config).toMatchObject({ nullable: true, allOf: [{ $ref: expect.any(String) }] });
    expect(doc.components.schemas.CreateDeploymentConfigDto.properties.description).toMatchObject({
      type: 'string',
      nullable: true,
    });
  });

  it("accepts every write operation's example body as is, in dependency order, and answers repeats with the 409s shown", async () => {
    const workspace = uniqueName('oa');
    const created = new Map<string, string>(); // collection path → name its example created
    const ids = new Map<string, string>(); // collection path → id of what it created (resources found by id)
    const writes = operations(doc)
      .filter(({ method }) => WRITES.includes(method))
      .sort(byDependency);
    // Names in a path are those the examples created: `{model}` of …/models/{model}/adapters is the model's.
    const urlOf = (path: string) =>
      path
        .replace(/^(.*?)\/\{name\}/, (_, collection: string) => `${collection}/${created.get(collection)}`)
        .replace(/^(.*?)\/\{model\}/, (_, collection: string) => `${collection}/${created.get(collection)}`)
        .replace(/^(.*?)\/\{id\}/, (_, collection: string) => `${collection}/${ids.get(collection)}`)
        .replace(/^(.*?)\/\{principal\}/, (_, collection: string) => `${collection}/${created.get(collection)}`)
        .replace('{workspace}', workspace);
    const failures: string[] = [];
    for (const { method, path, op } of writes) {
      let body = exampleBody(doc, op, sample) as Record<string, unknown> | undefined;
      // The one substitution: a fresh workspace per run instead of the example's (also where a body names one).
      if (path === '/v2/workspaces' || path === '/v2/workspaces/{workspace}') body = { ...body, name: workspace };
      else body = inWorkspace(body, workspace) as Record<string, unknown> | undefined;
      const url = urlOf(path);
      const res = await api.request(method.toUpperCase(), url, body);
      if (res.status >= 300) failures.push(`${method} ${path}: ${res.status} ${res.text}`);
      if (method === 'post' && typeof body?.name === 'string') created.set(path, body.name);
      if (method === 'post' && typeof body?.principal === 'string')
        created.set(path, encodeURIComponent(body.principal));
      if (method === 'post' && typeof res.body?.id === 'string') ids.set(path, res.body.id);
    }
    expect(failures).toEqual([]);
    // Every resource's writes ran (the list above comes from the document, so none was skipped).
    expect(writes.map(({ method, path }) => `${method} ${path}`)).toEqual(
      expect.arrayContaining([
        'post /v2/workspaces/{workspace}/deployment-configs',
        'post /v2/workspaces/{workspace}/deployments/{name}/status',
        'put /v2/workspaces/{workspace}/providers/{name}/status',
        'patch /v2/workspaces/{workspace}/models/{name}',
        'patch /v2/workspaces/{workspace}/virtual-models/{name}',
      ]),
    );

    // The same examples again, and deletes of what they now use: each 409 is the one its operation shows.
    const conflicts: string[] = [];
    const secret = created.get('/v2/workspaces/{workspace}/secrets');
    const config = created.get('/v2/workspaces/{workspace}/deployment-configs');
    const repeats: [string, string, string, unknown][] = [
      ...writes
        // Names that are not unique (API keys) show no 409 to repeat.
        .filter(({ method, path, op }) => method === 'post' && created.has(path) && op.responses['409'])
        .map(({ path, op }): [string, string, string, unknown] => [
          'post',
          path,
          urlOf(path),
          path === '/v2/workspaces' ? { name: workspace } : inWorkspace(exampleBody(doc, op, sample), workspace),
        ]),
      [
        'delete',
        '/v2/workspaces/{workspace}/secrets/{name}',
        `/v2/workspaces/${workspace}/secrets/${secret}`,
        undefined,
      ],
      [
        'delete',
        '/v2/workspaces/{workspace}/deployment-configs/{name}',
        `/v2/workspaces/${workspace}/deployment-configs/${config}`,
        undefined,
      ],
      ['delete', '/v2/workspaces/{workspace}', `/v2/workspaces/${workspace}`, undefined],
    ];
    for (const [method, path, url, body] of repeats) {
      const shown = doc.paths[path][method].responses['409']?.content['application/json'].examples.conflict.value;
      const res = await api.request(method.toUpperCase(), url, body);
      if (res.status !== 409 || res.body?.code !== shown?.code)
        conflicts.push(`${method} ${path}: example ${shown?.code}, got ${res.status} ${res.body?.code}`);
    }
    expect(conflicts).toEqual([]);
    expect(repeats.length).toBeGreaterThanOrEqual(9);
  });

  it('shows, for each error status, examples that have that status shape', () => {
    const wrong: string[] = [];
    for (const { method, path, op } of operations(doc)) {
      for (const [code, response] of Object.entries<Schema>(op.responses)) {
        const status = Number(code);
        if (status < 400 || path.startsWith('/health')) continue;
        const examples = Object.values<Schema>(response.content?.['application/json']?.examples ?? {});
        if (examples.length === 0) wrong.push(`${method} ${path} ${status}: no example`);
        for (const { value } of examples) {
          const fits =
            status === 422
              ? Array.isArray(value.detail)
                ? value.detail.every((i: Schema) => i.type && Array.isArray(i.loc) && i.loc.length > 1 && i.msg)
                : typeof value.detail === 'string' && typeof value.code === 'string'
              : typeof value.detail === 'string' &&
                ({
                  404: /not_found$/,
                  409: /already_exists|name_taken|in_use|has_deployments|transition|deleted|concurrent|already_rotated|last_(platform_)?admin/,
                  413: /^request\/too_large$/,
                }[status]?.test(value.code ?? '') ??
                  true);
          if (!fits) wrong.push(`${method} ${path} ${status}: ${JSON.stringify(value)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('shows the runtime_none 422 on exactly the operations a platform without a runtime refuses', async () => {
    const none = await startApi({ MODELPLANE_RUNTIME: 'none' });
    try {
      const workspace = uniqueName('oa');
      await none.request('POST', '/v2/workspaces', { name: workspace });
      const wrong: string[] = [];
      const deploymentWrites = operations(doc).filter(
        ({ method, path }) => method !== 'get' && /\/deployment(-config)?s/.test(path),
      );
      for (const { method, path, op } of deploymentWrites) {
        const shown = 'runtime_none' in (op.responses['422']?.content['application/json'].examples ?? {});
        const url = path.replace('{workspace}', workspace).replace('{name}', 'llama').replace('{version}', '1');
        const res = await none.request(method.toUpperCase(), url, exampleBody(doc, op, sample));
        const refused = res.status === 422 && res.body?.code === 'deployment/runtime_none';
        if (refused !== shown)
          wrong.push(`${method} ${path}: shown ${shown}, answered ${res.status} ${res.body?.code}`);
      }
      expect(wrong).toEqual([]);
      expect(deploymentWrites.length).toBeGreaterThanOrEqual(8);
    } finally {
      await none.close();
    }
  });

  it("answers a missing resource with the 404 its operation's example shows", async () => {
    const workspace = uniqueName('oa');
    await api.request('POST', '/v2/workspaces', { name: workspace });
    const mismatched: string[] = [];
    let checked = 0;
    for (const { method, path, op } of operations(doc)) {
      const example = op.responses['404']?.content?.['application/json']?.examples?.not_found?.value;
      if (!example || !['get', 'delete'].includes(method) || path.includes('/events')) continue;
      const url = path
        .replace('{workspace}', example.code === 'workspace/not_found' ? uniqueName('gone') : workspace)
        .replace('{name}', uniqueName('gone'))
        .replace('{model}', uniqueName('gone'))
        .replace('{id}', uniqueName('gone'))
        .replace('{version}', '3');
      const res = await api.request(method.toUpperCase(), url);
      checked += 1;
      if (res.status !== 404 || res.body?.code !== example.code)
        mismatched.push(`${method} ${path}: example ${example.code}, got ${res.status} ${res.body?.code}`);
    }
    expect(mismatched).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});

/** A body that names a workspace (a role binding), in the test's workspace instead of the example's. */
function inWorkspace(body: unknown, workspace: string): unknown {
  const named = body as Record<string, unknown> | undefined;
  return typeof named?.workspace === 'string' ? { ...named, workspace } : body;
}
