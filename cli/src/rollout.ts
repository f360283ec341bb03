import { ok, type Api, type Schemas } from './client.js';
import { UsageError } from './exit-codes.js';
import { table } from './output.js';
import { since } from './resources.js';

type Deployment = Schemas['DeploymentDto'];

/** Every version of a deployment, newest first, as the server keeps them. */
export function history(api: Api, workspace: string, name: string): Promise<Deployment[]> {
  return ok(
    api.GET('/v2/workspaces/{workspace}/deployments/{name}/versions', { params: { path: { workspace, name } } }),
  );
}

export function historyTable(versions: Deployment[]): string {
  return table(
    ['VERSION', 'CONFIG', 'STATUS', 'SERVING', 'CREATED', 'BY'],
    versions.map((v) => [
      String(v.entity_version),
      `${v.config} v${v.config_version}`,
      v.status,
      v.serving_version === v.entity_version ? 'yes' : '',
      `${since(v.created_at)} ago`,
      v.created_by ?? '',
    ]),
  );
}

/**
 * Rolls a deployment back: a new version with the config version an earlier
 * version ran (by default the one before the latest with another config
 * version). History is kept; nothing is rewritten.
 */
export async function undo(
  api: Api,
  workspace: string,
  name: string,
  toVersion: number | undefined,
): Promise<{ from: Deployment; created: Deployment }> {
  const versions = await history(api, workspace, name);
  const latest = versions[0];
  let from: Deployment | undefined;
  if (toVersion !== undefined) {
    from = versions.find((v) => v.entity_version === toVersion);
    if (!from) {
      throw new UsageError(
        `deployment/${name} has no version ${toVersion} (versions: ${versions.map((v) => v.entity_version).join(', ')})`,
      );
    }
  } else {
    from = versions.find((v) => v.config !== latest.config || v.config_version !== latest.config_version);
    if (!from) throw new UsageError(`deployment/${name} has no earlier version with another config to go back to`);
  }
  if (from.config === latest.config && from.config_version === latest.config_version) {
    throw new UsageError(`deployment/${name} already runs ${from.config} v${from.config_version}`);
  }
  const created = await ok(
    api.POST('/v2/workspaces/{workspace}/deployments/{name}', {
      params: { path: { workspace, name } },
      body: { config: from.config, config_version: from.config_version },
    }),
  );
  return { from, created };
}
