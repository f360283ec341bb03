/**
 * Starts the simulator: lists the models, listens, and turns ready after
 * SIM_START_DELAY_MS (never, with SIM_NEVER_READY), printing how far its
 * "model load" got at each quarter of the delay. Used by main.ts and, on
 * port 0, by tests that run it in-process.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MetricsRegistry } from './metrics.registry.js';
import { ModelCatalog } from './model.catalog.js';
import { maskedValue } from './secret.mask.js';
import type { SimConfig } from './sim.config.js';
import { createRequestHandler } from './simulator.routes.js';

export interface SimulatorOptions {
  /** Where start, ready and adapter-listing events go, one line each; stdout by default. */
  log?: (line: string) => void;
  /** How long close() lets answers in progress finish before cutting them. */
  drainMs?: number;
}

export interface RunningSimulator {
  port: number;
  /** Stops listening, lets answers in progress finish (up to drainMs), then resolves. */
  close(): Promise<void>;
}

/** Longer than any load balancer's idle timeout (AWS ALB: 60 s), so the server never closes a connection a client is about to reuse. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function stdoutLine(line: string): void {
  process.stdout.write(line + '\n');
}

export async function startSimulator(config: SimConfig, options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { log = stdoutLine, drainMs = 5_000 } = options;
  const catalog = new ModelCatalog({ ...config, log });
  await catalog.start();

  let ready = false;
  let port = config.port;
  const isReady = (): boolean => ready;
  const metrics = new MetricsRegistry(isReady);
  const server = createServer(
    createRequestHandler({
      config,
      catalog,
      metrics,
      isReady,
      settings: () => settingsOf(config, catalog, port, ready),
    }),
  );
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed keepAliveTimeout, or a request arriving late on a kept-alive socket can be cut off.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    catalog.stop();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  const adapters = catalog.adapters.length;
  log(
    `nim-sim: serving ${config.servedModels.join(', ')} on ${config.host}:${port}` +
      (adapters > 0 ? ` with ${adapters} LoRA adapter${adapters === 1 ? '' : 's'}` : ''),
  );

  const markReady = (): void => {
    ready = true;
    log('nim-sim: ready');
  };
  let readyTimer: NodeJS.Timeout | null = null;
  let loadingTimer: NodeJS.Timeout | null = null;
  if (config.neverReady) log('nim-sim: SIM_NEVER_READY is set: /v1/health/ready stays 503');
  else if (config.startDelayMs > 0) {
    readyTimer = setTimeout(markReady, config.startDelayMs);
    // What a NIM prints while it loads: a start that takes a while shows how far it got (progress while waiting).
    const model = config.servedModels[0];
    let quarter = 0;
    log(`nim-sim: loading model ${model}: 0%`);
    loadingTimer = setInterval(() => {
      quarter += 1;
      if (quarter < 4) log(`nim-sim: loading model ${model}: ${quarter * 25}%`);
      else if (loadingTimer) clearInterval(loadingTimer);
    }, config.startDelayMs / 4);
    loadingTimer.unref();
  } else markReady();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      if (readyTimer) clearTimeout(readyTimer);
      if (loadingTimer) clearInterval(loadingTimer);
      catalog.stop();
      ready = false;
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), drainMs).unref();
    });
    return closing;
  };
  return { port, close };
}

function settingsOf(config: SimConfig, catalog: ModelCatalog, port: number, ready: boolean): Record<string, unknown> {
  return {
    host: config.host,
    port,
    served_models: config.servedModels,
    base_model: catalog.baseModel,
    max_model_len: config.maxModelLen,
    lora_adapters: catalog.adapters,
    peft_source: config.peftSource === null ? null : maskedValue('NIM_PEFT_SOURCE', config.peftSource),
    peft_refresh_interval_s: config.peftRefreshIntervalS,
    token_delay_ms: config.tokenDelayMs,
    start_delay_ms: config.startDelayMs,
    never_ready: config.neverReady,
    crash_after_ms: config.crashAfterMs,
    error_rate: config.errorRate,
    stream_cut_after: config.streamCutAfter,
    exit_on_sigterm_delay_ms: config.exitOnSigtermDelayMs,
    embedding_dim: config.embeddingDim,
    embedding_delay_ms: config.embeddingDelayMs,
    classifier_rules:
      config.classifierRules?.map(({ category, keywords, matchesAll }) => ({
        category,
        keywords: matchesAll ? ['*'] : keywords,
      })) ?? null,
    classifier_noise: config.classifierNoise,
    json_mode: config.jsonMode,
    ready,
  };
}
