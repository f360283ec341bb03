import type { Command } from 'commander';
import { stringify } from 'yaml';
import { UsageError } from '../exit-codes.js';
import { configPath, readConfigFile, writeConfigFile, type Context, type GlobalFlags } from '../settings.js';
import type { CliContext } from './session.js';

/** Named contexts in the config file: where to talk to, in which workspace, with which key. */
export function registerConfig(root: Command, ctx: CliContext): void {
  const { io } = ctx;
  const config = root.command('config').description('Named contexts (server, workspace, key) in the config file');
  const file = (command: Command) => configPath(command.optsWithGlobals<GlobalFlags>(), io.env);

  config
    .command('set-context')
    .description('Create or change a context (and make it current with --use)')
    .argument('<name>', 'the context name')
    .option('--server <url>', 'server URL')
    .option('--ws <workspace>', 'workspace')
    .option('--api-key-env <variable>', 'read the key from this environment variable')
    .option('--use', 'make it the current context')
    .action(
      async (
        name: string,
        opts: { server?: string; ws?: string; apiKeyEnv?: string; use?: boolean },
        command: Command,
      ) => {
        const path = file(command);
        const current = await readConfigFile(path);
        const context: Context = { ...(current.contexts?.[name] ?? {}) };
        if (opts.server) context.url = opts.server;
        if (opts.ws) context.workspace = opts.ws;
        if (opts.apiKeyEnv) context['api-key-env'] = opts.apiKeyEnv;
        const next = { ...current, contexts: { ...(current.contexts ?? {}), [name]: context } };
        if (opts.use) next['current-context'] = name;
        await writeConfigFile(path, next);
        io.stdout.write(`context ${name} saved in ${path}\n`);
      },
    );

  config
    .command('use-context')
    .description('Make a context current')
    .argument('<name>', 'the context name')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const path = file(command);
      const current = await readConfigFile(path);
      if (!current.contexts?.[name]) throw new UsageError(`no context named "${name}" in ${path}`);
      await writeConfigFile(path, { ...current, 'current-context': name });
      io.stdout.write(`switched to context ${name}\n`);
    });

  config
    .command('view')
    .description('Show the config file, with keys hidden')
    .action(async (_opts: unknown, command: Command) => {
      const current = await readConfigFile(file(command));
      const contexts = Object.fromEntries(
        Object.entries(current.contexts ?? {}).map(([n, c]) => [n, c['api-key'] ? { ...c, 'api-key': 'REDACTED' } : c]),
      );
      io.stdout.write(stringify({ ...current, contexts }));
    });
}
