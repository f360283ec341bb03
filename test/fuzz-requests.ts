import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Hostile requests generated from the API's OpenAPI document, deterministically (a seeded PRNG): for each
 * operation, mutations of its path parameters, its query parameters, its body (per field and whole) and its
 * headers. fuzz.e2e-spec.ts sends them to a real server and checks every answer.
 */
export interface FuzzRequest {
  /** The operation (operationId, or `gateway/<route>`). */
  op: string;
  /** What was done to it, e.g. `query wait_for: array`. */
  mutation: string;
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** The body parses as JSON, so no answer may call it invalid JSON. */
  validJson: boolean;
  /** The status the API must answer (its rule for this input), where one is fixed. */
  expectStatus?: number;
}

/** Existing resources the generator points requests at, so mutations reach past the 404s. */
export interface FuzzTargets {
  workspace: string;
  /** Path segment before `{name}` (secrets, models, …) → an existing resource of that kind. */
  names: Record<string, string>;
  /** Query values that keep an operation from blocking (`until` on the event stream, …). */
  baseQuery: Record<string, string>;
  /** Body fields with values that must exist (a config, a secret) or be unique (a name). */
  bodyFields: (field: string) => unknown;
  maxBodyBytes: number;
  maxJsonDepth: number;
}

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Param = { name: string; in: string };

/** mulberry32: a small, good enough, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PATH_VALUES: [string, string][] = [
  ['unicode', encodeURIComponent('ünï-😀-名前')],
  ['dot-dot', '..'],
  ['dot', '.'],
  ['encoded slash', 'a%2Fb'],
  ['encoded dot-dot slash', '..%2F..%2Fetc'],
  ['encoded dot-dot', '%2e%2e'],
  ['10 KB', 'a'.repeat(10_000)],
  ['601 characters', 'b'.repeat(601)],
  ['name with @+_.', 'a@b+c_d.e'],
  ['NUL', 'a%00b'],
  ['bad percent-encoding', '%E0%A4%A'],
  ['encoded lone surrogate', '%ED%A0%80'],
  ['all workspaces', '-'],
  ['space', 'a%20b'],
  ['upper case', 'ABC'],
  ['percent', '%25'],
  ['backslash', 'a%5Cb'],
  ['query-like', 'a%3Fb%3Dc'],
  ['number', '0'],
  ['huge number', '99999999999999999999999'],
];

const queryValues = (p: string): [string, string][] => [
  ['array', `${p}[]=a&${p}[]=b`],
  ['indexed array', `${p}[0]=1`],
  ['object', `${p}[a]=1`],
  ['nested object', `${p}[a][b][c]=1`],
  ['repeated', `${p}=1&${p}=2`],
  ['huge integer', `${p}=99999999999999999999999`],
  ['1e308', `${p}=1e308`],
  ['negative', `${p}=-1`],
  ['NaN', `${p}=NaN`],
  ['Infinity', `${p}=Infinity`],
  ['float', `${p}=1.5`],
  ['boolean', `${p}=true`],
  ['empty', `${p}=`],
  ['no value', p],
  ['NUL', `${p}=%00`],
  ['long string', `${p}=${'x'.repeat(5000)}`],
  ['unicode', `${p}=${encodeURIComponent('ü😀')}`],
  ['bad encoding', `${p}=%ZZ%E0`],
  ['proto key', `${p}[__proto__][x]=1`],
  ['constructor key', `${p}[constructor][prototype][x]=1`],
];

/** An object nested `depth` levels, built without recursion. */
function deepObject(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** [label, value, the status the API must answer]. Null, wrong types and deep nesting go to every field. */
const FIELD_VALUES: [string, unknown, number?][] = [
  ['number', 123],
  ['string', 'str'],
  ['boolean', true],
  ['empty array', []],
  ['empty object', {}],
  ['null', null],
  ['1e308', 1e308],
  ['negative', -1],
  ['2^53+1', 2 ** 53 + 1],
  ['fraction', 1.5],
  ['NUL string', 'a\u0000b', 422],
  ['lone surrogate', '\ud800x', 422],
  ['nested 3,000 deep', deepObject(3000), 400],
  ['nested objects', { a: { b: { c: { d: {} } } } }],
  ['mixed array', ['a', 1, null, {}]],
  ['long string', 'x'.repeat(70_000)],
  ['unicode', 'ünï-😀-名前'],
];

const ALWAYS = new Set(['null', 'number', 'string', 'nested 3,000 deep']);

const nest = (depth: number, open: string, close: string, inner = '1') =>
  open.repeat(depth) + inner + close.repeat(depth);

export class FuzzGenerator {
  private readonly random: () => number;
  readonly requests: FuzzRequest[] = [];

  constructor(
    private readonly doc: OpenAPIObject,
    private readonly targets: FuzzTargets,
    seed: number,
  ) {
    this.random = prng(seed);
  }

  /** Every operation of the document, each mutated; `fieldShare` of the per-field body mutations are kept. */
  generate(fieldShare = 0.5): FuzzRequest[] {
    for (const [template, ops] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(ops as Record<string, Schema>)) {
        this.operation(template, method.toUpperCase(), op, fieldShare);
      }
    }
    return this.requests;
  }

  private operation(template: string, method: string, op: Schema, fieldShare: number): void {
    const id = op.operationId as string;
    const params = (op.parameters ?? []) as Param[];
    const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
    const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);
    const schemaRef = op.requestBody?.content?.['application/json']?.schema;
    const body = schemaRef ? this.sampleObject(this.resolve(schemaRef), 0) : undefined;
    const fill = (overrides: Record<string, string> = {}) =>
      template.replace(/\{(\w+)\}/g, (_m, name: string) => overrides[name] ?? this.pathValue(template, method, name));
    const baseQuery = queryParams
      .filter((q) => this.targets.baseQuery[q] !== undefined)
      .map((q) => `${q}=${this.targets.baseQuery[q]}`);
    const withQuery = (path: string, extra: string[] = baseQuery) =>
      extra.length ? `${path}?${extra.join('&')}` : path;
    const json = (value: unknown) => JSON.stringify(value);
    const add = (mutation: string, r: Partial<FuzzRequest> & { path?: string }) =>
      this.requests.push({
        op: id,
        mutation,
        method,
        path: r.path ?? withQuery(fill()),
        headers: r.headers ?? (body !== undefined ? { 'content-type': 'application/json' } : {}),
        body: 'body' in r ? r.body : body !== undefined ? json(body) : undefined,
        validJson: r.validJson ?? (body !== undefined && !('body' in r)),
        expectStatus: r.expectStatus,
      });

    add('as documented', {});
    for (const name of pathParams) {
      for (const [label, value] of PATH_VALUES)
        add(`path ${name}: ${label}`, { path: withQuery(fill({ [name]: value })) });
    }
    for (const q of [...queryParams, 'zzz_unknown']) {
      for (const [label, value] of queryValues(q)) {
        const others = baseQuery.filter((b) => !b.startsWith(`${q}=`));
        add(`query ${q}: ${label}`, { path: withQuery(fill(), [...others, value]) });
      }
    }
    for (const [label, headers] of HEADER_ODDITIES) {
      add(`header: ${label}`, {
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      });
    }
    if (body === undefined) return;
    for (const [path, label, value, expectStatus] of this.fieldMutations(this.resolve(schemaRef), fieldShare)) {
      add(`body ${path.join('.')}: ${label}`, { body: json(setAt(body, path, value)), validJson: true, expectStatus });
    }
    for (const [label, text, headers, validJson, expectStatus] of hostileBodies(body, this.targets)) {
      add(`body: ${label}`, { body: text, headers, validJson, expectStatus });
    }
  }

  /** The targets; for deletes, names that do not exist (deleting a target would starve every later request). */
  private pathValue(template: string, method: string, name: string): string {
    if (method === 'DELETE' && (name === 'name' || template === '/v2/workspaces/{workspace}')) return 'no-such-name';
    if (name === 'workspace') return this.targets.workspace;
    if (name === 'version') return '1';
    const kind = /\/([\w-]+)\/\{name\}/.exec(template)?.[1] ?? '';
    return this.targets.names[kind] ?? 'unknown-name';
  }

  /**
   * Every property the schema declares (whether or not the valid body has it), and those of objects down to
   * two levels, set to each hostile value: null and wrong types always, the rest a share of the time.
   */
  private fieldMutations(schema: Schema, share: number): [string[], string, unknown, number?][] {
    const out: [string[], string, unknown, number?][] = [];
    const visit = (s: Schema, path: string[], depth: number) => {
      for (const [key, prop] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
        for (const [label, hostile, expected] of FIELD_VALUES) {
          if (ALWAYS.has(label) || this.random() < share) out.push([[...path, key], label, hostile, expected]);
        }
        const inner = this.resolve(prop);
        if (depth < 2 && inner.properties) visit(inner, [...path, key], depth + 1);
      }
    };
    visit(schema, [], 0);
    return out;
  }

  private resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; i < 10; i++) {
      if (s.$ref) s = (this.doc.components?.schemas as Record<string, Schema>)[String(s.$ref).split('/').pop()!];
      else if (s.allOf?.length === 1) s = s.allOf[0];
      else break;
    }
    return s;
  }

  /** A body the API should accept: required fields from examples and enums, known-good values where needed. */
  private sampleObject(schema: Schema, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const required = new Set<string>(schema.required ?? []);
    for (const [key, prop] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      const given = this.targets.bodyFields(key);
      if (given !== undefined) out[key] = given;
      else if (required.has(key) || (depth === 0 && prop.example !== undefined)) out[key] = this.sample(prop, depth);
    }
    return out;
  }

  private sample(schema: Schema, depth: number): unknown {
    const s = this.resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.enum) return s.enum[0];
    if (s.properties) return this.sampleObject(s, depth + 1);
    switch (s.type) {
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return true;
      case 'array':
        return [];
      case 'object':
        return {};
      default:
        return 'x';
    }
  }
}

/** Hostile bodies for an operation whose valid body is `body`: [label, body, headers, whether it parses as JSON]. */
export function hostileBodies(
  body: Record<string, unknown>,
  { maxBodyBytes, maxJsonDepth }: { maxBodyBytes: number; maxJsonDepth: number },
): [string, string | Uint8Array, Record<string, string>, boolean, number?][] {
  const text = JSON.stringify(body);
  const inner = text.slice(1, -1);
  const withField = (raw: string) => `{${inner}${inner ? ',' : ''}${raw}}`;
  const json = { 'content-type': 'application/json' };
  const deepField = (depth: number, leaf: string) => withField(`"description":${nest(depth, '[', ']', leaf)}`);
  const filler = (size: number) => withField(`"description":"${'x'.repeat(Math.max(0, size - text.length - 20))}"`);
  return [
    ['nested 2,000 arrays', nest(2000, '[', ']'), json, true, 400],
    ['nested 2,000 objects', nest(2000, '{"a":', '}'), json, true, 400],
    ['nested 100,000 arrays', nest(100_000, '[', ']'), json, true, 400],
    [`a field nested ${maxJsonDepth + 1} deep`, deepField(maxJsonDepth, '1'), json, true, 400],
    [`a field nested ${maxJsonDepth - 2} deep`, deepField(maxJsonDepth - 2, '1'), json, true],
    ['NUL nested 70 deep', deepField(70, '"a\\u0000"'), json, true, 400],
    ['NUL nested 30 deep', deepField(30, '"a\\u0000"'), json, true, 422],
    ['lone surrogate in a field', withField('"description":"\\ud800"'), json, true, 422],
    ['lone low surrogate nested', deepField(3, '"x\\udfff"'), json, true, 422],
    ['lone surrogate in a key', withField('"\\ud800":1'), json, true, 422],
    ['NUL in a key', withField('"a\\u0000":1'), json, true, 422],
    ['__proto__ key', withField('"__proto__":{"polluted":true}'), json, true, 422],
    ['__proto__ key nested', withField('"description":{"__proto__":{"x":1}}'), json, true, 422],
    ['constructor.prototype key', withField('"constructor":{"prototype":{"polluted":true}}'), json, true, 422],
    ['an array', `[${text}]`, json, true, 422],
    ['a string', '"hello"', json, true, 422],
    ['null', 'null', json, true, 422],
    ['a number', '42', json, true, 422],
    ['true', 'true', json, true, 422],
    ['empty, as JSON', '', json, false],
    ['whitespace, as JSON', '  \n', json, false],
    ['empty, no content type', new Uint8Array(0), {}, false],
    ['JSON, no content type', new TextEncoder().encode(text), {}, false, 415],
    ['truncated JSON', text.slice(0, Math.max(1, Math.floor(text.length / 2))), json, false, 400],
    ['trailing garbage', `${text}x`, json, false, 400],
    ['byte order mark', `\ufeff${text}`, json, false, 400],
    ['single quotes', text.replace(/"/g, "'"), json, false, text.includes('"') ? 400 : undefined],
    ['duplicate keys', withField(`"name":1,"name":"x"`), json, true],
    ['number 1e400', withField('"description":1e400'), json, true],
    ['integer with 400 digits', withField(`"description":${'9'.repeat(400)}`), json, true],
    ['near the body limit', filler(maxBodyBytes - 64), json, true],
    ['over the body limit', filler(maxBodyBytes + 64), json, true, 413],
    ['text/plain', text, { 'content-type': 'text/plain' }, true, 415],
    ['text/plain;charset=UTF-8', text, { 'content-type': 'text/plain;charset=UTF-8' }, true, 415],
    ['form', 'name=x&value=y', { 'content-type': 'application/x-www-form-urlencoded' }, false, 415],
    [
      'multipart',
      '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--\r\n',
      { 'content-type': 'multipart/form-data; boundary=x' },
      false,
      415,
    ],
    ['merge-patch+json', text, { 'content-type': 'application/merge-patch+json' }, true, 415],
    ['json with charset latin1', text, { 'content-type': 'application/json; charset=latin1' }, true, 415],
    ['json with charset utf-8', text, { 'content-type': 'application/json; charset=utf-8' }, true],
    ['JSON in capitals', text, { 'content-type': 'APPLICATION/JSON' }, true],
    ['invalid content type', text, { 'content-type': 'application/json;;=' }, true],
    ['content type without subtype', text, { 'content-type': '/' }, true, 415],
    ['octet-stream', text, { 'content-type': 'application/octet-stream' }, true, 415],
  ];
}

/**
 * Copies of a share of `requests` to operations that require a credential (those the document gives a
 * `security` requirement, and the gateway routes), sent with none: each must be refused 401 before anything
 * else looks at it. Mutations that fail before routing (bad paths, hostile bodies) are left out, since
 * Fastify answers those before the guard runs.
 */
export function withoutCredential(requests: FuzzRequest[], doc: OpenAPIObject, every = 3): FuzzRequest[] {
  const secured = new Set<string>();
  for (const ops of Object.values(doc.paths))
    for (const op of Object.values(ops as Record<string, Schema>))
      if (Array.isArray(op.security) && op.security.length > 0) secured.add(op.operationId as string);
  return requests
    .filter(
      (r) =>
        (secured.has(r.op) || r.op.startsWith('gateway/')) &&
        (r.mutation === 'as documented' || /^(query|header) /.test(r.mutation)) &&
        r.method !== 'HEAD',
    )
    .filter((_r, i) => i % every === 0)
    .map((r) => ({
      ...r,
      op: `unauthenticated ${r.op}`,
      headers: { ...r.headers, authorization: '' },
      expectStatus: 401,
    }));
}

export const HEADER_ODDITIES: [string, Record<string, string>][] = [
  ['accept text/html', { accept: 'text/html' }],
  ['8 KB x-request-id', { 'x-request-id': 'r'.repeat(8000) }],
  ['garbage authorization', { authorization: 'Bearer \u00ff\u00fe' }],
  [
    'x-forwarded-for list',
    { 'x-forwarded-for': Array.from({ length: 200 }, (_, i) => `10.0.0.${i % 255}`).join(', ') },
  ],
  ['accept-encoding gzip only', { 'accept-encoding': 'gzip;q=1, identity;q=0' }],
];

/** A copy of `body` with the value at `path` replaced. */
function setAt(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    at = (at[key] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  at[path[path.length - 1]] = value;
  return copy;
}
