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
import { DEFAULT_AUTH_HEADER_FORMAT, renderAuthHeader, secretHeaderValueProblem } from '#domain';
import { DiscoveryHttpError, ModelDiscovery } from './model-discovery.js';
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
 */
@Injectable()
export class ProviderDiscoveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProviderDiscoveryService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

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

  private tick(): void {
    this.running ??= this.discoverAll()
      .catch((error: Error) => this.logger.warn(`Provider discovery failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  async discoverAll(now = new Date()): Promise<void> {
    for (const provider of await this.providers.listExternal()) {
      await this.discoverOne(provider, now).catch((error: Error) =>
        this.logger.warn(`Discovery of provider ${provider.workspace}/${provider.name} failed: ${error.message}`),
      );
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
    try {
      listed = await this.discovery.list(provider.hostUrl, await this.authHeaders(provider));
    } catch (error) {
      const message = (error as Error).message;
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

  /** The provider's key as its header; the value goes to the upstream only, never to a log. */
  private async authHeaders(provider: ModelProvider): Promise<Record<string, string>> {
    if (!provider.apiKeySecretName) return {};
    const sealed = await this.secrets.findSealed(provider.workspace, provider.apiKeySecretName);
    if (!sealed) throw new Error(`secret '${provider.apiKeySecretName}' not found`);
    const key = this.cipher.open(sealed, secretAad(provider.workspace, provider.apiKeySecretName));
    const problem = secretHeaderValueProblem(key);
    if (problem !== null) throw new Error(`secret '${provider.apiKeySecretName}' ${problem}`);
    const header = renderAuthHeader(provider.authHeaderFormat ?? DEFAULT_AUTH_HEADER_FORMAT, key);
    return header ? { [header.name]: header.value } : {};
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
