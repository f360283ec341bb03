import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ApiError, EXIT, UsageError, WaitFailedError } from './exit-codes.js';
import { registerApply } from './commands/apply.command.js';
import { registerConfig } from './commands/config.command.js';
import { registerKeys } from './commands/keys.command.js';
import { registerResources } from './commands/resources.command.js';
import { registerRollout } from './commands/rollout.command.js';
import { registerRouter } from './commands/router.command.js';
import { registerUsage } from './commands/usage.command.js';
import type { Io } from './commands/session.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** The program, with every command registered; `io` is where it reads and writes. */
export function program(io: Io): Command {
  const root = new Command('modelplane')
    .description('Apply, diff, wait for and roll out Modelplane deployments: the CLI for CI pipelines.')
    .version(VERSION)
    .option('--url <url>', 'server URL (MODELPLANE_URL; default http://localhost:8080)')
    .option('--api-key <key>', 'API key (prefer MODELPLANE_API_KEY: flags show in process lists)')
    .option('-w, --workspace <name>', 'workspace (MODELPLANE_WORKSPACE)')
    .option('--context <name>', 'a named context of the config file')
    .option('--config <file>', 'the config file (default: MODELPLANE_CONFIG or ~/.config/modelplane/config.yaml)')
    .showHelpAfterError('(run modelplane --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText(
      'after',
      '\nExit codes: 0 done; 1 failed, timed out, or (diff) changes found; 2 usage error; 3 API error.\n' +
        'Environment: MODELPLANE_URL, MODELPLANE_API_KEY, MODELPLANE_WORKSPACE, MODELPLANE_CONTEXT, MODELPLANE_CONFIG.',
    );
  const context = { version: VERSION, io };
  registerApply(root, context);
  registerResources(root, context);
  registerRollout(root, context);
  registerKeys(root, context);
  registerRouter(root, context);
  registerConfig(root, context);
  registerUsage(root, context);
  return root;
}

/** Runs the CLI; answers the exit code (it never calls process.exit, so output is flushed). */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    const code = await program(io).parseAsync(argv);
    return typeof code === 'number' ? code : ((io.exitCode as number | undefined) ?? EXIT.ok);
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; commander already printed what was wrong.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) {
      return EXIT.ok;
    }
    return EXIT.usage;
  }
  if (error instanceof WaitFailedError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.failed;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof ApiError) {
    io.stderr.write(`error: ${error.message}${error.code ? ` [${error.code}]` : ''}\n`);
    return EXIT.api;
  }
  io.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT.api;
}

function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
