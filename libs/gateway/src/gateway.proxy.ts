import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { exceedsJsonDepth } from '#domain';
import { Balancer, retryAfterMs, type Candidate } from './balancer.js';
import { ClientGone } from './client-gone.js';
import { GatewayError, sendGatewayError } from './gateway-error.js';
import { drained, passThrough, requestIdOf, sendJson, sendText, streamErrorEvent } from './http-answers.js';
import { modelList, retrievedModel } from './model-objects.js';
import { rewriteModel, SseModelRewriter } from './model-rewrite.js';
import { parseJsonObject, readBody, readJsonObject, refuseTooDeep, tooLarge, type BodyLimits } from './request-body.js';
import type { RoutingSource } from './routing-source.js';
import type { ModelRoute, ProviderRoute } from './routing-table.js';
import { scrubSecret, SecretScrubber } from './secret-scrub.js';
import { refuseSimpleRequest } from './simple-request.js';
import { networkError, upstreamError } from './upstream-errors.js';
import { UpstreamPools, type UpstreamOptions } from './upstream-pools.js';
import { changesBodies, forwardedPath, mergeBody, upstreamHeaders, upstreamUrl } from './upstream-request.js';

export interface GatewayOptions extends UpstreamOptions, BodyLimits {
  /** Providers tried per request on the model and OpenAI routes (connection failures, 5xx before any byte). */
  maxAttempts: number;
  /** The longest Retry-After waited before trying the same provider again. */
  retryAfterMaxMs: number;
}

export interface GatewayLogger {
  warn(message: string): void;
}

const NAME = /^[\w\-.@+]+$/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The three routing patterns of the reference's §6 over an in-memory
 * routing table (RoutingSource) and pooled upstream connections. Answers go
 * straight to Node's response object: bodies stream through, and only the
 * model and OpenAI routes parse and rewrite them.
 */
export class GatewayProxy {
  readonly balancer = new Balancer();
  private readonly pools: UpstreamPools;

  constructor(
    private readonly source: RoutingSource,
    private readonly options: GatewayOptions,
    private readonly logger: GatewayLogger,
  ) {
    this.pools = new UpstreamPools(options);
    source.onChange((table) =>
      this.pools.retain(new Set([...table.providers.values()].map((p) => originOf(p.hostUrl)))),
    );
  }

  close(): Promise<void> {
    return this.pools.close();
  }

  /** `…/model/{name}/-/{path}`: the entity from the path; a missing body counts as `{}`. */
  async model(req: IncomingMessage, res: ServerResponse, workspace: string, name: string): Promise<void> {
    await this.answer(req, res, async (requestId) => {
      const path = forwardedPath(req.url ?? '');
      const body = await readJsonObject(req, this.options, true);
      await this.toModel(req, res, requestId, path, workspace, name, body);
    });
  }

  /** `…/openai/-/{path}`: the entity from the body's `model`, as `workspace/name` or `name`. */
  async openai(req: IncomingMessage, res: ServerResponse, workspace: string): Promise<void> {
    await this.answer(req, res, async (requestId) => {
      const path = forwardedPath(req.url ?? '');
      const body = await readJsonObject(req, this.options, false);
      const model = body.model;
      if (typeof model !== 'string' || model === '') {
        throw new GatewayError(
          400,
          'gateway/no_model',
          'Could not extract model from openai request: "model" is missing',
        );
      }
      const name = model.startsWith(`${workspace}/`) ? model.slice(workspace.length + 1) : model;
      if (name.includes('/')) {
        throw new GatewayError(
          422,
          'gateway/other_workspace',
          `model '${model}' names another workspace; this route serves workspace '${workspace}' (use its own gateway route)`,
        );
      }
      await this.toModel(req, res, requestId, path, workspace, name, body);
    });
  }

  /** `GET …/openai/-/v1/models`: the workspace's routable entities, in OpenAI's list shape. */
  listModels(req: IncomingMessage, res: ServerResponse, workspace: string): void {
    sendJson(res, 200, JSON.stringify(modelList(this.source.current, workspace)), requestIdOf(req));
  }

  /** `GET …/{openai|model/{name}}/-/v1/models/{id}`: one routable entity, from the routing table. */
  async retrieveModel(req: IncomingMessage, res: ServerResponse, workspace: string): Promise<void> {
    await this.answer(req, res, async (requestId) => {
      const model = retrievedModel(this.source.current, workspace, req.url ?? '');
      sendJson(res, 200, JSON.stringify(model), requestId);
    });
  }

  /**
   * `…/provider/{name}/ready` (NeMo's `wait_for_gateway`): 200 `{ready, provider, host_url}` once this gateway
   * routes to the provider and it is READY; 404 before (so a client polls until this replica can serve it).
   */
  async providerReady(req: IncomingMessage, res: ServerResponse, workspace: string, name: string): Promise<void> {
    await this.answer(req, res, async (requestId) => {
      const ref = `${workspace}/${name}`;
      const provider = this.source.current.providers.get(ref);
      if (!provider) throw new GatewayError(404, 'gateway/provider_not_found', `Model provider not found for ${ref}`);
      if (provider.status !== 'READY') {
        throw new GatewayError(
          404,
          'gateway/provider_not_ready',
          `Model provider ${ref} is ${provider.status}, not READY${provider.statusMessage ? `: ${provider.statusMessage}` : ''}`,
        );
      }
      sendJson(res, 200, JSON.stringify({ ready: true, provider: ref, host_url: provider.hostUrl }), requestId);
    });
  }

  /** `…/provider/{name}/-/{path}`: straight through to one provider; bodies stream unless it adds fields to them. */
  async provider(req: IncomingMessage, res: ServerResponse, workspace: string, name: string): Promise<void> {
    await this.answer(req, res, async (requestId) => {
      const path = forwardedPath(req.url ?? '');
      const provider = this.source.current.providers.get(`${workspace}/${name}`);
      if (!provider)
        throw new GatewayError(404, 'gateway/provider_not_found', `Model provider not found for ${workspace}/${name}`);
      if (provider.keyError) throw new GatewayError(424, 'gateway/secret_unavailable', provider.keyError);
      const headers = upstreamHeaders(req.headers, provider, requestId);
      // An answer is searched for the key only uncompressed (a hosted API compresses when asked).
      if (provider.secret) headers['accept-encoding'] = 'identity';
      let body: string | IncomingMessage | null = null;
      const method = req.method ?? 'GET';
      if (BODY_METHODS.has(method)) {
        const json = (req.headers['content-type'] ?? '').includes('json');
        if (changesBodies(provider) && json) {
          const text = (await readBody(req, this.options.maxBodyBytes)).toString('utf8');
          refuseTooDeep(text, this.options.maxJsonDepth);
          const parsed = parseJsonObject(text);
          body = parsed ? JSON.stringify(mergeBody(provider, parsed)) : text;
          headers['content-length'] = String(Buffer.byteLength(body));
        } else {
          const length = Number(req.headers['content-length']);
          if (length > this.options.maxBodyBytes) throw tooLarge(this.options.maxBodyBytes);
          if (req.headers['content-length'] !== undefined)
            headers['content-length'] = String(req.headers['content-length']);
          body = req;
        }
      }
      const gone = new ClientGone(res);
      const done = this.balancer.begin(provider.ref);
      let upstream: Dispatcher.ResponseData;
      try {
        upstream = await this.send(provider, method, path, headers, body, gone);
      } catch (error) {
        done();
        throw networkError(error, provider);
      }
      if (upstream.statusCode >= 400) {
        // Error bodies are small and read whole, so an upstream that echoes the key cannot show it to the client.
        const text = scrubSecret(await upstream.body.text().catch(() => ''), provider.secret);
        done();
        sendText(res, upstream, text, requestId);
        return;
      }
      passThrough(res, upstream, requestId, done, provider.secret);
    });
  }

  private async toModel(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    path: string,
    workspace: string,
    name: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    if (!NAME.test(name)) {
      throw new GatewayError(422, 'gateway/bad_model_name', `'${name}' is not a valid model entity name`);
    }
    const ref = `${workspace}/${name}`;
    const model = this.source.current.models.get(ref);
    if (!model) {
      throw this.source.hasEntity(ref)
        ? new GatewayError(404, 'gateway/no_provider', `No providers found for model entity ${ref}`)
        : new GatewayError(
            404,
            'gateway/model_not_found',
            `Routing table lookup failed: Model entity not found for ${ref}`,
          );
    }
    const method = req.method ?? 'POST';
    const gone = new ClientGone(res);
    const candidates = this.balancer.candidates(model);
    let lastError: GatewayError | null = null;
    for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
      const candidate = candidates[attempt % candidates.length];
      const { provider, servedName } = candidate;
      if (provider.keyError) {
        lastError = new GatewayError(424, 'gateway/secret_unavailable', provider.keyError);
        if (candidates.length === 1) break;
        continue;
      }
      const upstreamBody = BODY_METHODS.has(method)
        ? JSON.stringify({ ...mergeBody(provider, body), model: servedName })
        : null;
      const headers = upstreamHeaders(req.headers, provider, requestId);
      // The answer is parsed and rewritten here: ask for it uncompressed (a hosted API gzips when asked).
      headers['accept-encoding'] = 'identity';
      if (upstreamBody !== null) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(upstreamBody));
      }
      const done = this.balancer.begin(provider.ref);
      let upstream: Dispatcher.ResponseData;
      try {
        upstream = await this.send(provider, method, path, headers, upstreamBody, gone);
      } catch (error) {
        done();
        if (gone.aborted) return;
        this.balancer.coolDown(provider.ref, 2000);
        lastError = networkError(error, provider);
        this.logger.warn(
          `${requestId}: ${provider.ref} failed (${lastError.message}); attempt ${attempt + 1}/${this.options.maxAttempts}`,
        );
        continue;
      }
      if (upstream.statusCode >= 500 && attempt + 1 < this.options.maxAttempts) {
        // Nothing has reached the client yet: another provider may answer.
        const wait = retryAfterMs(upstream.headers['retry-after']);
        const text = await upstream.body.text().catch(() => '');
        done();
        this.balancer.coolDown(provider.ref, wait ?? 1000);
        lastError = upstreamError(upstream.statusCode, text, candidate, model, upstream.headers);
        const alone = candidates.length === 1;
        if (alone && wait !== null && wait > this.options.retryAfterMaxMs) break;
        if (alone && wait !== null) await gone.wait(wait);
        if (gone.aborted) return;
        continue;
      }
      await this.deliver(res, upstream, candidate, model, requestId, done);
      return;
    }
    throw lastError ?? new GatewayError(502, 'gateway/no_attempt', `No provider of ${model.ref} could be tried`);
  }

  private send(
    provider: ProviderRoute,
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | IncomingMessage | null,
    signal: ClientGone,
  ): Promise<Dispatcher.ResponseData> {
    const url = upstreamUrl(provider.hostUrl, path);
    return this.pools.get(url.origin, provider.egressChecked).request({
      path: url.pathname + url.search,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal,
    });
  }

  /** The upstream's answer to a model route: errors mapped, JSON and SSE with the model rewritten, the rest as is. */
  private async deliver(
    res: ServerResponse,
    upstream: Dispatcher.ResponseData,
    candidate: Candidate,
    model: ModelRoute,
    requestId: string,
    done: () => void,
  ): Promise<void> {
    const { statusCode, headers, body } = upstream;
    const type = String(headers['content-type'] ?? '');
    const { secret } = candidate.provider;
    if (statusCode >= 400) {
      const text = await body.text().catch(() => '');
      done();
      throw upstreamError(statusCode, text, candidate, model, headers);
    }
    if (type.includes('text/event-stream')) {
      res.writeHead(statusCode, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-request-id': requestId,
      });
      const rewriter = new SseModelRewriter(model.ref);
      const scrubber = SecretScrubber.for(secret);
      try {
        for await (const chunk of body) {
          const out = rewriter.push(scrubber ? scrubber.push(chunk as Buffer) : (chunk as Buffer));
          // A slow client slows the upstream read instead of growing a buffer here.
          if (out && !res.write(out)) await drained(res);
        }
        const rest = (scrubber ? rewriter.push(scrubber.flush()) : '') + rewriter.flush();
        if (rest) res.write(rest);
        if (!rewriter.done) {
          res.write(streamErrorEvent('The upstream stream ended before [DONE]; the response is incomplete', requestId));
        }
      } catch (error) {
        if (!res.destroyed) {
          res.write(streamErrorEvent(`The upstream stream broke: ${(error as Error).message}`, requestId));
        }
      } finally {
        done();
        res.end();
      }
      return;
    }
    if (type.includes('json')) {
      const text = scrubSecret(await body.text().finally(done), secret);
      // No body to rewrite: the answer to a HEAD, a 204, an upstream that sent the headers only.
      if (text.trim() === '') return sendJson(res, statusCode, '', requestId);
      const parsed = exceedsJsonDepth(text, this.options.maxJsonDepth) ? null : parseJsonObject(text);
      if (!parsed) {
        throw new GatewayError(
          502,
          'gateway/bad_upstream_json',
          `${candidate.provider.ref} answered JSON that is not an object, or nested deeper than ${this.options.maxJsonDepth} levels`,
        );
      }
      rewriteModel(parsed, model.ref);
      sendJson(res, statusCode, JSON.stringify(parsed), requestId);
      return;
    }
    passThrough(res, upstream, requestId, done, secret);
  }

  /** Runs a route; a GatewayError (or anything else) becomes the error answer unless the response has started. */
  private async answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: (requestId: string) => Promise<void>,
  ): Promise<void> {
    const requestId = requestIdOf(req);
    try {
      refuseSimpleRequest(req);
      await route(requestId);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError(500, 'gateway/internal', `Internal gateway error (request ${requestId})`);
      if (!(error instanceof GatewayError))
        this.logger.warn(`${requestId}: ${(error as Error).stack ?? String(error)}`);
      sendGatewayError(req, res, failure, requestId);
    }
  }
}

function originOf(hostUrl: string): string {
  try {
    return new URL(hostUrl).origin;
  } catch {
    return hostUrl;
  }
}
