import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { UsageError } from '../exit-codes.js';
import { requireWorkspace } from '../settings.js';
import { embedAll, parseExamples, train } from '../train.js';
import { session, type CliContext } from './session.js';

/** Routing policies: training an embedding router from labelled examples (seed 001's auto-routing). */
export function registerRouter(root: Command, ctx: CliContext): void {
  const { io } = ctx;
  const router = root.command('router').description('Routing policies (virtual models)');

  router
    .command('train')
    .description(
      'Train an embedding router: embed labelled examples ({"text", "model"} per JSONL line) through Modelplane and ' +
        'print the policy (centroids and thresholds), or a VirtualModel document to apply',
    )
    .requiredOption('--data <file>', 'JSONL examples, or - for stdin')
    .requiredOption('--embedding-model <entity>', 'the embedding model entity (served through Modelplane)')
    .option('--threshold <score>', 'one threshold for every target (default: what 80% of its own examples reach)')
    .option('--virtual-model <name>', 'print a VirtualModel document with this name (for apply) instead of the entry')
    .option('--default-model <entity>', 'where the router goes when the embedding fails (default: the largest class)')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action(
      async (
        opts: {
          data: string;
          embeddingModel: string;
          threshold?: string;
          virtualModel?: string;
          defaultModel?: string;
          output: string;
        },
        command: Command,
      ) => {
        if (opts.output !== 'yaml' && opts.output !== 'json') throw new UsageError('-o: yaml or json');
        const threshold = opts.threshold === undefined ? undefined : Number(opts.threshold);
        if (threshold !== undefined && !(threshold >= -1 && threshold <= 1)) {
          throw new UsageError('--threshold: a cosine similarity from -1 to 1');
        }
        const text = opts.data === '-' ? await io.stdin() : await readFile(opts.data, 'utf8').catch(() => null);
        if (text === null) throw new UsageError(`${opts.data}: cannot read the file`);
        const examples = parseExamples(text, opts.data);
        const { settings } = await session(command, ctx);
        const workspace = requireWorkspace(settings);
        const vectors = await embedAll(
          settings,
          workspace,
          opts.embeddingModel,
          examples.map((e) => e.text),
        );
        const { targets, report } = train(examples, vectors, { threshold, keep: 0.8 });
        for (const r of report) {
          io.stderr.write(
            `${r.model}: ${r.examples} examples, ${r.routedBack} routed back to it (${Math.round((100 * r.routedBack) / r.examples)}%)\n`,
          );
        }
        const largest = [...report].sort((a, b) => b.examples - a.examples)[0].model;
        const entry = {
          name: 'modelplane',
          config_type: 'embedding_router',
          config: { embedding_model: opts.embeddingModel, targets, default_model: opts.defaultModel ?? largest },
        };
        const out = opts.virtualModel
          ? {
              apiVersion: 'modelplane/v1',
              kind: 'VirtualModel',
              metadata: { name: opts.virtualModel, workspace },
              spec: { request_middleware: [entry] },
            }
          : entry;
        io.stdout.write(opts.output === 'json' ? JSON.stringify(out, null, 2) + '\n' : stringify(out));
      },
    );
}
