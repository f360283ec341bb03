import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { UsageError } from './exit-codes.js';

/** The kinds `apply` manages, in the order they are applied (each may refer to the ones before it). */
export const APPLY_ORDER = ['Secret', 'Model', 'Provider', 'DeploymentConfig', 'Deployment', 'VirtualModel'] as const;
export type Kind = (typeof APPLY_ORDER)[number];

/** One declarative document: `kind`, `metadata.name`, `metadata.workspace`, `spec`. */
export interface Document {
  kind: Kind;
  name: string;
  workspace: string;
  spec: Record<string, unknown>;
  /** Where it came from (`file.yaml#2`), for messages. */
  source: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'spec']);
const API_VERSIONS = new Set(['modelplane/v1', 'modelplane.dev/v1']);

/** Reads every document of the given files, directories (their .yaml, .yml and .json files) or `-` (stdin). */
export async function readDocuments(
  paths: string[],
  defaultWorkspace: string | undefined,
  stdin: () => Promise<string>,
): Promise<Document[]> {
  const sources: { name: string; text: string }[] = [];
  for (const path of paths) {
    if (path === '-') {
      sources.push({ name: 'stdin', text: await stdin() });
      continue;
    }
    const info = await stat(path).catch(() => null);
    if (!info) throw new UsageError(`${path}: no such file or directory`);
    if (info.isDirectory()) {
      const files = (await readdir(path)).filter((f) => EXTENSIONS.has(extname(f))).sort();
      for (const file of files)
        sources.push({ name: join(path, file), text: await readFile(join(path, file), 'utf8') });
    } else sources.push({ name: path, text: await readFile(path, 'utf8') });
  }
  const documents = sources.flatMap(({ name, text }) => parseSource(name, text, defaultWorkspace));
  const seen = new Map<string, string>();
  for (const d of documents) {
    const key = `${d.kind}/${d.workspace}/${d.name}`;
    const earlier = seen.get(key);
    if (earlier) throw new UsageError(`${d.source}: ${d.kind} ${d.workspace}/${d.name} is also declared in ${earlier}`);
    seen.set(key, d.source);
  }
  if (documents.length === 0) throw new UsageError(`no documents found in ${paths.join(', ')}`);
  return documents;
}

function parseSource(name: string, text: string, defaultWorkspace: string | undefined): Document[] {
  const out: Document[] = [];
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const where = list.length > 1 ? `${name}#${index + 1}` : name;
    if (doc.errors.length) throw new UsageError(`${where}: ${doc.errors[0].message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document (a trailing ---)
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) =>
      out.push(toDocument(items.length > 1 ? `${where}[${i}]` : where, item, defaultWorkspace)),
    );
  });
  return out;
}

function toDocument(where: string, value: unknown, defaultWorkspace: string | undefined): Document {
  const fail = (message: string): never => {
    throw new UsageError(`${where}: ${message}`);
  };
  if (!isObject(value)) return fail('a document must be a mapping with kind, metadata and spec');
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.has(key)) fail(`unknown field "${key}" (a document has apiVersion, kind, metadata and spec)`);
  }
  if (value.apiVersion !== undefined && !API_VERSIONS.has(String(value.apiVersion))) {
    fail(`apiVersion "${String(value.apiVersion)}" is not supported (use modelplane/v1)`);
  }
  const kind = value.kind;
  if (typeof kind !== 'string' || !(APPLY_ORDER as readonly string[]).includes(kind)) {
    fail(`kind must be one of ${APPLY_ORDER.join(', ')}`);
  }
  const metadata = value.metadata;
  if (!isObject(metadata)) return fail('metadata must be a mapping with name (and workspace)');
  for (const key of Object.keys(metadata)) {
    if (key !== 'name' && key !== 'workspace')
      fail(`unknown field "metadata.${key}" (metadata has name and workspace)`);
  }
  if (typeof metadata.name !== 'string' || !metadata.name) fail('metadata.name must be a non-empty string');
  const workspace = metadata.workspace ?? defaultWorkspace;
  if (typeof workspace !== 'string' || !workspace) {
    fail('metadata.workspace is missing and no default workspace is set (--workspace or MODELPLANE_WORKSPACE)');
  }
  const spec = value.spec ?? {};
  if (!isObject(spec)) fail('spec must be a mapping');
  if ('name' in (spec as object)) fail('spec.name is not allowed: the name is metadata.name');
  if (kind === 'Secret') checkSecretSpec(spec as Record<string, unknown>, fail);
  return {
    kind: kind as Kind,
    name: metadata.name as string,
    workspace: workspace as string,
    spec: spec as Record<string, unknown>,
    source: where,
  };
}

/** A Secret's value comes from the environment, never from a file in the repository. */
function checkSecretSpec(spec: Record<string, unknown>, fail: (message: string) => never): void {
  if ('value' in spec) fail('spec.value is not allowed: secret values come from the environment (spec.valueFrom.env)');
  for (const key of Object.keys(spec)) {
    if (key !== 'description' && key !== 'valueFrom')
      fail(`unknown field "spec.${key}" (a Secret has description and valueFrom)`);
  }
  const from = spec.valueFrom;
  if (!isObject(from) || typeof from.env !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(from.env)) {
    fail('spec.valueFrom.env must name the environment variable that holds the value');
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
