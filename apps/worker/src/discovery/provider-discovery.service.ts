import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { WorkerConfig } from '#config';
import {
  ModelRepository,
  ProviderRepository,
  SecretCipher,
  SecretRepository,
  secretAad,
  type ModelProvider,
} from '#db';
import { DEFAULT_AUTH_HEADER_FORMAT, EgressRefusedError, renderAuthHeader, secretHeaderValueProblem } from '#domain';
import { scrubSecret } from '#gateway';
import { DiscoveryHttpError, DiscoveryLimitError, ModelDiscovery } from './model-discovery.js';
import { mapExternalModels } from './served-models.js';

/** Reference §4: how long failing providers wait, and when they are written off. */
const IDLE_BEFORE_ERROR_MS = 30_000;
const ERROR_RETRY_AFTER_MS = 60_000;
const LOST_AFTER_MS = 900_000;

/**
 * Checks providers registered by hand (external APIs) every
 * PROVIDER_DISCOVERY_INTERVAL_MS: reads their `/v1/models` with their key,
 * creates entities for what they serve (filtered by `enabled_models`) and
 * keeps `served_models` and the status current, as the reference does.
 * Deployment-backed providers are kept by the reconciler instead.
 *
 * Providers are checked DISCOVERY_CONCURRENCY at a time, each at most once
 * at a time: a provider that is slow holds one slot until its deadline,
 * and the others keep their schedule.
 */
@Injectable()
export class ProviderDiscoveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProviderDiscoveryService.name);
  private timer?: NodeJS.Timeout;
  private listing?: Promise<unknown>;
  private closed = false;
  /** Checks under way or waiting for a slot, by provider id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly providers: ProviderRepository,
    private readonly models: ModelRepository,
    private readonly secrets: SecretRepository,
    private readonly cipher: SecretCipher,
    private readonly discovery: ModelDiscovery,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.PROVIDER_DISCOVERY_INTERVAL_MS);
    this.timer.unref();
    this.tick();
  }

  /** Starts what is due and returns: the next tick does not wait for a slow provider. */
  private tick(): void {
    this.listing ??= this.start()
      .catch((error: Error) => this.logger.warn(`Provider discovery failed: ${error.message}`))
      .finally(() => (this.listing = undefined));
  }

  /** Checks every external provider (those already being checked are awaited, not checked twice). */
  async discoverAll(now?: Date): Promise<void> {
    await Promise.all(await this.start(now));
  }

  private async start(now?: Date): Promise<Promise<void>[]> {
    const runs: Promise<void>[] = [];
    for (const provider of await this.providers.listExternal()) {
      let run = this.inFlight.get(provider.id);
      if (run === undefined) {
        run = this.inSlot(() => this.discoverOne(provider, now ?? new Date()))
          .catch((error: Error) =>
            this.logger.warn(`Discovery of provider ${provider.workspace}/${provider.name} failed: ${error.message}`),
          )
          .finally(() => this.inFlight.delete(provider.id));
        this.inFlight.set(provider.id, run);
      }
      runs.push(run);
    }
    return runs;
  }

  /**
   * Runs `task` in one of DISCOVERY_CONCURRENCY slots; a finished task hands its slot straight to the next
   * one waiting. Nothing new starts after shutdown began.
   */
  private async inSlot(task: () => Promise<void>): Promise<void> {
    if (this.active < this.config.DISCOVERY_CONCURRENCY) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      if (!this.closed) await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  async discoverOne(provider: ModelProvider, now = new Date()): Promise<void> {
    const age = now.getTime() - new Date(provider.createdAt).getTime();
    const idle = now.getTime() - new Date(provider.updatedAt).getTime();
    if (provider.status === 'LOST') return;
    if (provider.status === 'ERROR') {
      if (age > LOST_AFTER_MS) {
        await this.providers.recordDiscovery(provider, {
          status: 'LOST',
          statusMessage: `Unreachable since ${new Date(provider.updatedAt).toISOString()}: ${provider.statusMessage}`,
        });
        return;
      }
      if (idle < ERROR_RETRY_AFTER_MS) return;
    }
    let listed;
    let key: string | null = null;
    try {
      const credentials = await this.credentials(provider);
      key = credentials.key;
      listed = await this.discovery.list(provider.hostUrl, { headers: credentials.headers, egressChecked: true });
    } catch (error) {
      // An upstream's error body goes into the status message: without the key, should it echo it.
      const message = scrubSecret((error as Error).message, key);
      // Not a passing failure: retrying cannot help until the provider or the configuration changes.
      const refused =
        error instanceof EgressRefusedError ||
        (error instanceof DiscoveryLimitError && error.limit === 'DISCOVERY_MAX_BYTES');
      if (refused) {
        await this.providers.recordDiscovery(provider, {
          status: 'ERROR',
          statusMessage: `Provider discovery failed: ${message}`,
        });
        return;
      }
      const nonCompliant =
        (error instanceof DiscoveryHttpError && error.status === 404) || /not OpenAI-compatible/.test(message);
      if (nonCompliant) {
        await this.providers.recordDiscovery(provider, {
          status: 'READY',
          statusMessage: 'Non-OpenAI compliant endpoint, model entity routing disabled',
          servedModels: [],
        });
        return;
      }
      if (provider.status === 'ERROR') {
        await this.providers.recordDiscovery(provider, {
          status: 'ERROR',
          statusMessage: `Discovery retry failed: ${message}`,
        });
      } else if (provider.status !== 'READY' && idle > IDLE_BEFORE_ERROR_MS) {
        await this.providers.recordDiscovery(provider, {
          status: 'ERROR',
          statusMessage: `Provider discovery failed: ${message}`,
        });
      }
      return; // READY keeps its served models through a passing failure
    }
    const mapping = mapExternalModels(provider.workspace, provider, listed, provider.enabledModels as string[] | null);
    await this.models.ensureDiscovered(provider.workspace, mapping.entities);
    const note = mapping.skipped.length ? ` (skipped, no valid entity name: ${mapping.skipped.join(', ')})` : '';
    await this.providers.recordDiscovery(provider, {
      status: 'READY',
      statusMessage: `Serving ${mapping.servedModels.length} models${note}`,
      servedModels: mapping.servedModels,
    });
  }

  /** The provider's key and its header; the key goes to the upstream only, never to a log or a message. */
  private async credentials(provider: ModelProvider): Promise<{ headers: Record<string, string>; key: string | null }> {
    if (!provider.apiKeySecretName) return { headers: {}, key: null };
    const sealed = await this.secrets.findSealed(provider.workspace, provider.apiKeySecretName);
    if (!sealed) throw new Error(`secret '${provider.apiKeySecretName}' not found`);
    const key = this.cipher.open(sealed, secretAad(provider.workspace, provider.apiKeySecretName));
    const problem = secretHeaderValueProblem(key);
    if (problem !== null) throw new Error(`secret '${provider.apiKeySecretName}' ${problem}`);
    const header = renderAuthHeader(provider.authHeaderFormat ?? DEFAULT_AUTH_HEADER_FORMAT, key);
    return { headers: header ? { [header.name]: header.value } : {}, key };
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.listing;
    await Promise.all(this.inFlight.values());
  }
}
