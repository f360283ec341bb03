import { Injectable } from '@nestjs/common';
import { request } from 'undici';
import { parseModelList, type ListedModel } from './served-models.js';

/** Reads a server's `/v1/models`. */
@Injectable()
export class ModelDiscovery {
  constructor(private readonly timeoutMs: number) {}

  async list(baseUrl: string, headers: Record<string, string> = {}): Promise<ListedModel[]> {
    const url = `${baseUrl.replace(/\/+$/, '')}/${baseUrl.endsWith('/v1') ? '' : 'v1/'}models`;
    const res = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...headers },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) {
      throw new DiscoveryHttpError(res.statusCode, `GET /v1/models answered ${res.statusCode}: ${text.slice(0, 300)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error('the /v1/models response is not JSON (not OpenAI-compatible)');
    }
    return parseModelList(body);
  }
}

export class DiscoveryHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
