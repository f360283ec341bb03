import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { render } from '../output.js';
import { requireWorkspace } from '../settings.js';
import { fetchUsage, usageTable } from '../usage.js';
import { parseDuration } from '../wait.js';
import { outputOption, positiveInt, session, type CliContext } from './session.js';

/** `modelplane usage`: GET /v2/workspaces/{workspace}/usage as a table, JSON or YAML. */
export function registerUsage(root: Command, ctx: CliContext): void {
  const { io } = ctx;
  root
    .command('usage')
    .description("The workspace's inference usage (-w - : every workspace you may read), grouped as asked")
    .option('--start <time>', 'start of the range, RFC 3339 (default: 7 days before --end)')
    .option('--end <time>', 'end of the range, RFC 3339 (default: now)')
    .option('--since <duration>', 'start the range this long before now (e.g. 24h, 30d) instead of --start')
    .option('--group-by <groups>', 'comma-separated: workspace, model, provider, key, principal, day, hour')
    .option('--model <name>', 'only this model entity or virtual model')
    .option('--page <n>', 'one page of groups (default: all of them)', positiveInt('--page'))
    .option('--page-size <n>', 'groups per page', positiveInt('--page-size'))
    .option('-o, --output <format>', 'table, json or yaml', outputOption, 'table')
    .action(
      async (
        opts: {
          start?: string;
          end?: string;
          since?: string;
          groupBy?: string;
          model?: string;
          page?: number;
          pageSize?: number;
          output: ReturnType<typeof outputOption>;
        },
        command: Command,
      ) => {
        if (opts.output === 'name') throw new UsageError('-o name: usage has no names; use table, json or yaml');
        if (opts.since && opts.start) throw new UsageError('--since and --start: give one of them');
        const start = opts.since
          ? new Date(Date.now() - parseDuration(opts.since, '--since')).toISOString()
          : opts.start;
        const { api, settings } = await session(command, ctx);
        const usage = await fetchUsage(api, requireWorkspace(settings), {
          start,
          end: opts.end,
          groupBy: opts.groupBy,
          model: opts.model,
          page: opts.page,
          pageSize: opts.pageSize,
        });
        if (opts.output === 'table') {
          io.stderr.write(`Usage from ${usage.start} to ${usage.end}\n`);
          io.stdout.write(usageTable(usage));
          return;
        }
        io.stdout.write(render([usage as unknown as Record<string, unknown>], opts.output, 'usage', [], true));
      },
    );
}
