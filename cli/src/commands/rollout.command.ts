import type { Command } from 'commander';
import { stringify } from 'yaml';
import { history, historyTable, undo } from '../rollout.js';
import { requireWorkspace } from '../settings.js';
import { parseDuration, waitFor } from '../wait.js';
import { outputOption, positiveInt, session, type CliContext } from './session.js';

export function registerRollout(root: Command, ctx: CliContext): void {
  const { io } = ctx;
  const rollout = root.command('rollout').description('Follow, list and undo the versions of a deployment');
  const nameOf = (arg: string) => arg.replace(/^(deployments?|deploy)\//, '');

  rollout
    .command('status')
    .description('Wait until the latest version is READY (exit 1 when it fails or time runs out)')
    .argument('<deployment>', 'NAME or deployment/NAME')
    .option('--timeout <duration>', 'how long to wait', '15m')
    .action(async (deployment: string, opts: { timeout: string }, command: Command) => {
      const timeoutMs = parseDuration(opts.timeout);
      const { api, settings } = await session(command, ctx);
      const workspace = requireWorkspace(settings);
      await waitFor(api, { workspace, name: nameOf(deployment), target: 'READY', timeoutMs, out: io.stderr });
    });

  rollout
    .command('history')
    .description('Every version of the deployment, newest first')
    .argument('<deployment>', 'NAME or deployment/NAME')
    .option('-o, --output <format>', 'table, json or yaml', outputOption, 'table')
    .action(async (deployment: string, opts: { output: string }, command: Command) => {
      const { api, settings } = await session(command, ctx);
      const versions = await history(api, requireWorkspace(settings), nameOf(deployment));
      if (opts.output === 'json') io.stdout.write(JSON.stringify(versions, null, 2) + '\n');
      else if (opts.output === 'yaml') io.stdout.write(stringify(versions));
      else if (opts.output === 'name')
        io.stdout.write(versions.map((v) => `deployment/${v.name}@${v.entity_version}\n`).join(''));
      else io.stdout.write(historyTable(versions));
    });

  rollout
    .command('undo')
    .description(
      'Roll back: a new version running the config version of an earlier version (the previous config by default)',
    )
    .argument('<deployment>', 'NAME or deployment/NAME')
    .option('--to-version <n>', 'the deployment version whose config version to run again', positiveInt('--to-version'))
    .option('--wait', 'then wait for it to be READY')
    .option('--timeout <duration>', 'how long --wait waits', '15m')
    .action(
      async (deployment: string, opts: { toVersion?: number; wait?: boolean; timeout: string }, command: Command) => {
        const timeoutMs = parseDuration(opts.timeout);
        const { api, settings } = await session(command, ctx);
        const workspace = requireWorkspace(settings);
        const name = nameOf(deployment);
        const { from, created } = await undo(api, workspace, name, opts.toVersion);
        io.stdout.write(
          `deployment/${name} rolled back to ${from.config} v${from.config_version} (as in version ${from.entity_version}): ` +
            `version ${created.entity_version}\n`,
        );
        if (opts.wait) await waitFor(api, { workspace, name, target: 'READY', timeoutMs, out: io.stderr });
      },
    );
}
