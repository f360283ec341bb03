import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../cli/src/main.js';
import { TEST_ADMIN_KEY } from './api-harness.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written, as a pipe (not a terminal) does in a CI log. */
function capture(tty = false): NodeJS.WriteStream & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text(): string };
  stream.isTTY = tty;
  if (tty) stream.columns = 100;
  stream.text = () => chunks.join('');
  return stream;
}

/**
 * Runs the modelplane CLI in this process against `url`, as a pipeline runs it: the environment
 * carries the server, key and workspace (overridable per call), output goes to pipes.
 */
export function cliFor(url: string, workspace: string) {
  return async (
    args: string[],
    options: { env?: Record<string, string | undefined>; stdin?: string; tty?: boolean } = {},
  ) => {
    const stdout = capture(options.tty);
    const stderr = capture(options.tty);
    const env: NodeJS.ProcessEnv = {
      MODELPLANE_URL: url,
      MODELPLANE_API_KEY: TEST_ADMIN_KEY,
      MODELPLANE_WORKSPACE: workspace,
      // No config file of the user's is read.
      MODELPLANE_CONFIG: join(tmpdir(), 'modelplane-cli-no-config.yaml'),
      ...options.env,
    };
    const code = await main(['node', 'modelplane', ...args], {
      stdout,
      stderr,
      env,
      stdin: async () => options.stdin ?? '',
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() } satisfies CliRun;
  };
}

/** A directory for a test's documents. */
export async function documentsDir(): Promise<(name: string, text: string) => Promise<string>> {
  const dir = await mkdtemp(join(tmpdir(), 'modelplane-cli-'));
  return async (name, text) => {
    await writeFile(join(dir, name), text);
    return join(dir, name);
  };
}

/** A config and a deployment of it, as a team keeps them in its repository. */
export function pipelineDocuments(name: string, envs: Record<string, string>): string {
  const lines = Object.entries(envs).map(([k, v]) => `      ${k}: "${v}"`);
  return [
    'apiVersion: modelplane/v1',
    'kind: DeploymentConfig',
    `metadata: {name: ${name}}`,
    'spec:',
    '  engine: nim',
    '  model_spec: {model_namespace: meta, model_name: llama-3.1-8b-instruct}',
    '  executor_config:',
    '    gpu: 1',
    '    image_name: nvcr.io/nim/meta/llama-3.1-8b-instruct',
    '    image_tag: "1.8.5"',
    ...(lines.length ? ['    additional_envs:', ...lines] : []),
    '---',
    'apiVersion: modelplane/v1',
    'kind: Deployment',
    `metadata: {name: ${name}}`,
    `spec: {config: ${name}}`,
    '',
  ].join('\n');
}
