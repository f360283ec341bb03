import type { Command } from 'commander';
import { createKey, KEY_COLUMNS, listKeys, parseScopes, revokeKey, rotateKey } from '../keys.js';
import { render } from '../output.js';
import { parseDuration } from '../wait.js';
import { outputOption, session, type CliContext } from './session.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** API keys of service accounts: the key itself is printed once, on stdout, and never again. */
export function registerKeys(root: Command, ctx: CliContext): void {
  const { io } = ctx;
  const keys = root.command('keys').description('Create, list, rotate and revoke API keys');

  keys
    .command('create')
    .description('Issue a key; prints it once (stdout), its details on stderr')
    .argument('<name>', 'a name for the key')
    .option('--scope <scope>', 'read, write, inference or admin (repeat, or comma-separated)', collect)
    .option('--principal <principal>', 'for whom (service-account:ci); yourself by default')
    .option('--key-workspace <workspace>', 'limit the key to one workspace')
    .option('--expires-in <duration>', 'lifetime, e.g. 90d or 12h')
    .option('-o, --output <format>', 'name (the key only), json or yaml', outputOption, 'name')
    .action(
      async (
        name: string,
        opts: { scope?: string[]; principal?: string; keyWorkspace?: string; expiresIn?: string; output: string },
        command: Command,
      ) => {
        const scopes = parseScopes(opts.scope ?? []);
        const expires = opts.expiresIn ? new Date(Date.now() + parseDuration(opts.expiresIn, '--expires-in')) : null;
        const { api } = await session(command, ctx);
        const issued = await createKey(api, {
          name,
          scopes,
          ...(opts.principal ? { principal: opts.principal } : {}),
          ...(opts.keyWorkspace ? { workspace: opts.keyWorkspace } : {}),
          ...(expires ? { expires_at: expires.toISOString() } : {}),
        });
        if (opts.output === 'json' || opts.output === 'yaml') {
          io.stdout.write(render([issued], opts.output, 'key', KEY_COLUMNS, true));
          return;
        }
        io.stderr.write(
          `key ${issued.id} (${issued.principal}, ${issued.scopes.join(',')}) created; it is shown once:\n`,
        );
        io.stdout.write(`${issued.key}\n`);
      },
    );

  keys
    .command('list')
    .description('Keys you may see (yours; all of them for a platform admin)')
    .option('-o, --output <format>', 'table, json, yaml or name', outputOption, 'table')
    .action(async (opts: { output: ReturnType<typeof outputOption> }, command: Command) => {
      const { api } = await session(command, ctx);
      const rows = (await listKeys(api)) as unknown as Record<string, unknown>[];
      io.stdout.write(render(rows, opts.output, 'key', KEY_COLUMNS));
    });

  keys
    .command('rotate')
    .description('Issue a replacement; the old key keeps working for the grace period, then stops')
    .argument('<id>', 'the key id (apikey-…)')
    .option('--grace-period <duration>', 'how long the old key keeps working (e.g. 1h)')
    .action(async (id: string, opts: { gracePeriod?: string }, command: Command) => {
      const grace = opts.gracePeriod ? parseDuration(opts.gracePeriod, '--grace-period') / 1000 : undefined;
      const { api } = await session(command, ctx);
      const issued = await rotateKey(api, id, grace);
      io.stderr.write(`key ${id} replaced by ${issued.id}; the new key is shown once:\n`);
      io.stdout.write(`${issued.key}\n`);
    });

  keys
    .command('revoke')
    .description('Revoke a key at once')
    .argument('<id>', 'the key id (apikey-…)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { api } = await session(command, ctx);
      await revokeKey(api, id);
      io.stdout.write(`key ${id} revoked\n`);
    });
}
