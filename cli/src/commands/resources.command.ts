import type { Command } from 'commander';
import { stringify } from 'yaml';
import { ApiError } from '../exit-codes.js';
import { render } from '../output.js';
import { kindAndName, KINDS } from '../resources.js';
import { history, historyTable } from '../rollout.js';
import { requireWorkspace } from '../settings.js';
import { parseDuration, waitFor } from '../wait.js';
import { outputOption, session, type CliContext } from './session.js';

const KIND_LIST = KINDS.map((k) => k.names[0]).join(', ');

export function registerResources(root: Command, ctx: CliContext): void {
  const { io } = ctx;

  const getOrList = async (
    kindWord: string,
    name: string | undefined,
    format: ReturnType<typeof outputOption>,
    command: Command,
  ) => {
    const { api, settings } = await session(command, ctx);
    const target = kindAndName(kindWord, name);
    const workspace = target.kind.kind === 'Workspace' ? '' : requireWorkspace(settings);
    if (target.name) {
      const row = await target.kind.get(api, workspace, target.name);
      if (!row)
        throw new ApiError(
          404,
          `404 Not Found: ${target.kind.kind.toLowerCase()}/${target.name} in ${workspace || 'the platform'}`,
        );
      io.stdout.write(render([row], format, target.kind.kind, target.kind.columns, true));
      return;
    }
    const rows = await target.kind.list(api, workspace);
    if (rows.length === 0 && format === 'table')
      io.stderr.write(`No ${target.kind.names[1]} in ${workspace || 'the platform'}.\n`);
    io.stdout.write(render(rows, format, target.kind.kind, target.kind.columns));
  };

  root
    .command('get')
    .description(`Show one object, or list a kind (${KIND_LIST}); KIND/NAME works too`)
    .argument('<kind>', 'what to get')
    .argument('[name]', 'its name (all of the kind when left out)')
    .option('-o, --output <format>', 'table, json, yaml or name', outputOption, 'table')
    .action(
      async (
        kind: string,
        name: string | undefined,
        opts: { output: ReturnType<typeof outputOption> },
        command: Command,
      ) => getOrList(kind, name, opts.output, command),
    );

  root
    .command('list')
    .description(`List a kind (${KIND_LIST})`)
    .argument('<kind>', 'what to list')
    .option('-o, --output <format>', 'table, json, yaml or name', outputOption, 'table')
    .action(async (kind: string, opts: { output: ReturnType<typeof outputOption> }, command: Command) =>
      getOrList(kind, undefined, opts.output, command),
    );

  root
    .command('describe')
    .description('Show one object in full, with a deployment’s versions and status history')
    .argument('<kind>', 'its kind, or KIND/NAME')
    .argument('[name]', 'its name')
    .action(async (kindWord: string, name: string | undefined, _opts: unknown, command: Command) => {
      const { api, settings } = await session(command, ctx);
      const target = kindAndName(kindWord, name);
      if (!target.name) throw new ApiError(404, 'describe needs a name');
      const workspace = target.kind.kind === 'Workspace' ? '' : requireWorkspace(settings);
      const row = await target.kind.get(api, workspace, target.name);
      if (!row)
        throw new ApiError(
          404,
          `404 Not Found: ${target.kind.kind.toLowerCase()}/${target.name} in ${workspace || 'the platform'}`,
        );
      const { status_history: statusHistory, ...rest } = row;
      io.stdout.write(stringify(rest));
      if (target.kind.kind !== 'Deployment') return;
      io.stdout.write(`\nVersions:\n${indent(historyTable(await history(api, workspace, target.name)))}`);
      const entries = (statusHistory as { timestamp: string; status: string; status_message: string }[]) ?? [];
      io.stdout.write('\nStatus history (latest version):\n');
      for (const e of entries)
        io.stdout.write(`  ${e.timestamp}  ${e.status.padEnd(8)}  ${e.status_message.split('\n')[0]}\n`);
    });

  root
    .command('delete')
    .description('Delete an object; a deployment is torn down first (DELETING), --wait waits until it is gone')
    .argument('<kind>', 'its kind, or KIND/NAME')
    .argument('[name]', 'its name')
    .option('--wait', 'wait until a deployment is DELETED')
    .option('--timeout <duration>', 'how long --wait waits', '10m')
    .action(
      async (
        kindWord: string,
        name: string | undefined,
        opts: { wait?: boolean; timeout: string },
        command: Command,
      ) => {
        const timeoutMs = parseDuration(opts.timeout);
        const { api, settings } = await session(command, ctx);
        const target = kindAndName(kindWord, name);
        if (!target.name) throw new ApiError(404, 'delete needs a name');
        const workspace = target.kind.kind === 'Workspace' ? '' : requireWorkspace(settings);
        const outcome = await target.kind.remove(api, workspace, target.name);
        io.stdout.write(`${target.kind.kind.toLowerCase()}/${target.name} ${outcome}\n`);
        if (opts.wait && outcome === 'deleting') {
          await waitFor(api, { workspace, name: target.name, target: 'DELETED', timeoutMs, out: io.stderr });
        }
      },
    );

  root
    .command('wait')
    .description(
      'Follow a deployment until it reaches a status (READY by default); exit 1 when it fails or time runs out',
    )
    .argument('<deployment>', 'the deployment, as NAME or deployment/NAME')
    .option('--for <status>', 'the status to wait for (READY, DELETED, …)', 'READY')
    .option('--timeout <duration>', 'how long to wait', '15m')
    .action(async (deployment: string, opts: { for: string; timeout: string }, command: Command) => {
      const timeoutMs = parseDuration(opts.timeout);
      const { api, settings } = await session(command, ctx);
      const name = deployment.replace(/^(deployments?|deploy)\//, '');
      const target = opts.for.toUpperCase().replace(/^STATUS=/, '');
      await waitFor(api, { workspace: requireWorkspace(settings), name, target, timeoutMs, out: io.stderr });
    });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}
