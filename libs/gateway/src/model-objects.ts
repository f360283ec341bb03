import { GatewayError } from './gateway-error.js';
import type { RoutingTable } from './routing-table.js';

/** OpenAI's model object for a routable entity, as `GET …/v1/models` lists it. */
export function modelObject(workspace: string, name: string): Record<string, unknown> {
  return { id: `${workspace}/${name}`, object: 'model', created: 0, owned_by: workspace };
}

/** `GET …/v1/models`: the workspace's routable entities, in OpenAI's list shape. */
export function modelList(table: RoutingTable, workspace: string): Record<string, unknown> {
  const names = table.modelsByWorkspace.get(workspace) ?? [];
  return { object: 'list', data: names.map((name) => modelObject(workspace, name)) };
}

const MODELS_PATH = '/-/v1/models/';

/**
 * `GET …/v1/models/{id}`: the entity `id` names, as `{workspace}/{entity}`
 * (the OpenAI SDKs send its slash encoded, `%2F`, which is decoded here and
 * only here) or as a bare `{entity}`; a 404 otherwise.
 */
export function retrievedModel(table: RoutingTable, workspace: string, rawUrl: string): Record<string, unknown> {
  const at = rawUrl.indexOf(MODELS_PATH);
  const q = rawUrl.indexOf('?', at);
  const raw = rawUrl.slice(at + MODELS_PATH.length, q < 0 ? undefined : q);
  let id: string;
  try {
    id = raw.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new GatewayError(400, 'gateway/bad_path', `The model id '${raw}' has a malformed escape`);
  }
  const name = id.startsWith(`${workspace}/`) ? id.slice(workspace.length + 1) : id;
  const ref = `${workspace}/${name}`;
  if (name === '' || name.includes('/') || !(table.models.has(ref) || table.virtualModels.has(ref))) {
    throw new GatewayError(
      404,
      'gateway/model_not_found',
      `Model '${id}' not found: workspace '${workspace}' has no routable model entity or virtual model of that name`,
    );
  }
  return modelObject(workspace, name);
}
