import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, request, type Dispatcher } from 'undici';
import { egressConnector, type EgressPolicy, type Resolver } from '#egress';
import { parseModelList, type ListedModel } from './served-models.js';

export interface DiscoveryLimits {
  /** Deadline of the whole exchange: connecting, the headers and every byte of the body. */
  timeoutMs: number;
  /** Largest answer read; reading stops (the connection is dropped) beyond it. */
  maxBytes: number;
  /** What providers registered by hand may connect to. */
  egress: EgressPolicy;
  resolve?: Resolver;
}

/**
 * Reads a server's `/v1/models` within a deadline and a size limit, so a
 * provider that trickles or floods costs one bounded request. undici follows
 * no redirect: a 3xx is an error here, and the provider's key never travels
 * to the host it points at.
 */
@Injectable()
export class ModelDiscovery implements OnApplicationShutdown {
  /** Providers registered by hand: every connection goes through the egress policy. */
  private readonly checked: Agent;
  /** The control plane's own servers (deployments), at endpoints the runtime reported. */
  private readonly trusted: Agent;

  constructor(private readonly limits: DiscoveryLimits) {
    this.checked = new Agent({
      connect: egressConnector(limits.egress, { timeoutMs: limits.timeoutMs, resolve: limits.resolve }),
    });
    this.trusted = new Agent({ connect: { timeout: limits.timeoutMs } });
  }

  async list(
    baseUrl: string,
    options: { headers?: Record<string, string>; egressChecked: boolean },
  ): Promise<ListedModel[]> {
    const url = `${baseUrl.replace(/\/+$/, '')}/${baseUrl.endsWith('/v1') ? '' : 'v1/'}models`;
    const deadline = AbortSignal.timeout(this.limits.timeoutMs);
    try {
      const res = await request(url, {
        method: 'GET',
        headers: { accept: 'application/json', ...options.headers },
        dispatcher: options.egressChecked ? this.checked : this.trusted,
        signal: deadline,
      });
      if (res.statusCode >= 300 && res.statusCode < 400) {
        drop(res);
        throw new DiscoveryHttpError(
          res.statusCode,
          `GET /v1/models answered ${res.statusCode}, a redirect: redirects are not followed (the key goes to the provider's host only)`,
        );
      }
      const text = await this.readLimited(res);
      if (res.statusCode >= 400) {
        throw new DiscoveryHttpError(
          res.statusCode,
          `GET /v1/models answered ${res.statusCode}: ${text.slice(0, 300)}`,
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error('the /v1/models response is not JSON (not OpenAI-compatible)');
      }
      return parseModelList(body);
    } catch (error) {
      if (deadline.aborted) {
        throw new DiscoveryLimitError(
          'DISCOVERY_TIMEOUT_MS',
          `GET /v1/models did not complete within DISCOVERY_TIMEOUT_MS (${this.limits.timeoutMs} ms)`,
        );
      }
      throw error;
    }
  }

  /** The body as text, dropping the connection as soon as it passes DISCOVERY_MAX_BYTES. */
  private async readLimited(res: Dispatcher.ResponseData): Promise<string> {
    const { maxBytes } = this.limits;
    const tooLarge = (): DiscoveryLimitError => {
      drop(res);
      return new DiscoveryLimitError(
        'DISCOVERY_MAX_BYTES',
        `the /v1/models answer is larger than DISCOVERY_MAX_BYTES (${maxBytes} bytes); reading stopped`,
      );
    };
    if (Number(res.headers['content-length']) > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** After the discoveries under way have ended (they are awaited before shutdown). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.checked.destroy(), this.trusted.destroy()]);
  }
}

/** Closes the connection under an answer not read (undici reports the abort as an error: nobody waits for it). */
function drop(res: Dispatcher.ResponseData): void {
  res.body.on('error', () => undefined);
  res.body.destroy();
}

export class DiscoveryHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** An answer that took too long or was too large: the server is up, but this answer is refused. */
export class DiscoveryLimitError extends Error {
  constructor(
    readonly limit: 'DISCOVERY_TIMEOUT_MS' | 'DISCOVERY_MAX_BYTES',
    message: string,
  ) {
    super(message);
  }
}
