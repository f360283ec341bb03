import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { Balancer } from './balancer.js';
import { ClientGone } from './client-gone.js';
import { operationOf, type Exchange } from './exchange.js';
import { GatewayError, sendGatewayError } from './gateway-error.js';
import type { GatewayTelemetry } from './gateway-telemetry.js';
import { passThrough, sendJson, sendText } from './http-answers.js';
import { modelList, retrievedModel } from './model-objects.js';
import { deliverAnswer } from './model-answer.js';
import { ModelCaller } from './model-call.js';
import { parseJsonObject, readBody, readJsonObject, refuseTooDeep, tooLarge, type BodyLimits } from './request-body.js';
import type { RoutingSource } from './routing-source.js';
import { scrubSecret } from './secret-scrub.js';
import { refuseSimpleRequest } from './simple-request.js';
import { networkError } from './upstream-errors.js';
import { UpstreamPools, type UpstreamOptions } from './upstream-pools.js';
import { changesBodies, forwardedPath, mergeBody, upstreamHeaders } from './upstream-request.js';
import { askForUsage, tapUsage } from './usage.js';
import { recommendationCompletion, VirtualRouter } from './virtual-route.js';

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
  private readonly pools: UpstreamPools;
  private readonly caller: ModelCaller;
  private readonly virtual: VirtualRouter;

  constructor(
    private readonly source: RoutingSource,
    private readonly options: GatewayOptions,
    private readonly logger: GatewayLogger,
    /** Where each request's outcome, log line and span go. */
    readonly telemetry: GatewayTelemetry,
    readonly balancer = new Balancer(),
  ) {
    this.pools = new UpstreamPools(options);
    this.caller = new ModelCaller(this.pools, this.balancer, options, logger, telemetry.routing);
    this.virtual = new VirtualRouter(this.caller, source, options, telemetry.routing, logger);
    source.onChange((table) =>
      this.pools.retain(new Set([...table.providers.values()].map((p) => originOf(p.hostUrl)))),
    );
  }

  close(): Promise<void> {
    return this.pools.close();
  }

  /** `…/model/{name}/-/{path}`: the entity from the path; a missing body counts as `{}`. */
  async model(req: IncomingMessage, res: ServerResponse, workspace: string, name: string, ex: Exchange) {
    await this.answer(req, res, ex, async () => {
      const path = forwardedPath(req.url ?? '');
      ex.operation = operationOf(path);
      const body = await readJsonObject(req, this.options, true);
      await this.toModel(req, res, ex, path, workspace, name, body);
    });
  }

  /** `…/openai/-/{path}`: the entity from the body's `model`, as `workspace/name` or `name`. */
  async openai(req: IncomingMessage, res: ServerResponse, workspace: string, ex: Exchange): Promise<void> {
    await this.answer(req, res, ex, async () => {
      const path = forwardedPath(req.url ?? '');
      ex.operation = operationOf(path);
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
      await this.toModel(req, res, ex, path, workspace, name, body);
    });
  }

  /** `GET …/openai/-/v1/models`: the workspace's routable entities, in OpenAI's list shape. */
  listModels(_req: IncomingMessage, res: ServerResponse, workspace: string, ex: Exchange): void {
    sendJson(res, 200, JSON.stringify(modelList(this.source.current, workspace)), ex.requestId);
  }

  /** `GET …/{openai|model/{name}}/-/v1/models/{id}`: one routable entity, from the routing table. */
  async retrieveModel(req: IncomingMessage, res: ServerResponse, workspace: string, ex: Exchange): Promise<void> {
    await this.answer(req, res, ex, async (requestId) => {
      const model = retrievedModel(this.source.current, workspace, req.url ?? '');
      sendJson(res, 200, JSON.stringify(model), requestId);
    });
  }

  /**
   * `…/provider/{name}/ready` (NeMo's `wait_for_gateway`): 200 `{ready, provider, host_url}` once this gateway
   * routes to the provider and it is READY; 404 before (so a client polls until this replica can serve it).
   */
  async providerReady(req: IncomingMessage, res: ServerResponse, workspace: string, name: string, ex: Exchange) {
    await this.answer(req, res, ex, async (requestId) => {
      const ref = `${workspace}/${name}`;
      const provider = this.source.current.providers.get(ref);
      if (provider) ex.provider = provider.ref;
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

  /**
   * `POST …/virtual-models/{name}/decision` (recommendation mode): the body of a chat completion in, the
   * decision out, without calling the target: chosen model and provider, fallbacks, reason, latency. With
   * `openai`, as a chat completion whose assistant message is the chosen model's name (the LLM Router's form).
   */
  async decision(
    req: IncomingMessage,
    res: ServerResponse,
    workspace: string,
    name: string,
    openai: boolean,
    ex: Exchange,
  ) {
    await this.answer(req, res, ex, async (requestId) => {
      const policy = this.source.current.virtualModels.get(`${workspace}/${name}`);
      if (!policy) {
        throw new GatewayError(404, 'gateway/model_not_found', `Virtual model not found for ${workspace}/${name}`);
      }
      ex.model = `${workspace}/${name}`;
      ex.virtualModel = true;
      const body = await readJsonObject(req, this.options, true);
      const decision = await this.virtual.recommend(req, requestId, policy, body);
      const answer = openai ? recommendationCompletion(decision, requestId) : decision;
      sendJson(res, 200, JSON.stringify(answer), requestId);
    });
  }

  /** `…/provider/{name}/-/{path}`: straight through to one provider; bodies stream unless it adds fields to them. */
  async provider(req: IncomingMessage, res: ServerResponse, workspace: string, name: string, ex: Exchange) {
    await this.answer(req, res, ex, async (requestId) => {
      const path = forwardedPath(req.url ?? '');
      ex.operation = operationOf(path);
      const provider = this.source.current.providers.get(`${workspace}/${name}`);
      if (!provider)
        throw new GatewayError(404, 'gateway/provider_not_found', `Model provider not found for ${workspace}/${name}`);
      ex.provider = provider.ref;
      // The body is not read here: a provider of one model entity names it (and its prices).
      if (provider.servedNameOf.size === 1) {
        const [entity] = provider.servedNameOf.keys();
        ex.model = entity;
        ex.pricing = this.source.current.prices.get(entity) ?? null;
      }
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
      const end = ex.attempt(provider, headers);
      const done = this.balancer.begin(provider.ref);
      let upstream: Dispatcher.ResponseData;
      try {
        upstream = await this.caller.send(provider, method, path, headers, body, gone);
      } catch (error) {
        done();
        end(undefined, 'connection');
        throw networkError(error, provider);
      }
      const status = upstream.statusCode;
      if (status >= 400) {
        // Error bodies are small and read whole, so an upstream that echoes the key cannot show it to the client.
        const text = scrubSecret(await upstream.body.text().catch(() => ''), provider.secret);
        done();
        end(status, 'upstream_status');
        ex.cause = 'upstream_status';
        sendText(res, upstream, text, requestId);
        return;
      }
      upstream.body.once('error', () => {
        if (!gone.aborted) ex.cause = 'stream_cut';
      });
      tapUsage(upstream.body, upstream.headers, (usage) => ex.addUsage(usage));
      passThrough(res, upstream, requestId, () => (done(), end(status)), provider.secret);
    });
  }

  private async toModel(
    req: IncomingMessage,
    res: ServerResponse,
    ex: Exchange,
    path: string,
    workspace: string,
    name: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    if (!NAME.test(name)) {
      throw new GatewayError(422, 'gateway/bad_model_name', `'${name}' is not a valid model entity name`);
    }
    const { requestId } = ex;
    const ref = `${workspace}/${name}`;
    const table = this.source.current;
    const policy = table.virtualModels.get(ref);
    if (policy) {
      ex.model = ref;
      ex.virtualModel = true;
      return this.virtual.route(req, res, ex, path, policy, body);
    }
    const model = table.models.get(ref);
    if (model || this.source.hasEntity(ref)) ex.model = ref;
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
    const sent = BODY_METHODS.has(method) ? askForUsage(body, ex) : null;
    const call = { method, path, headers: req.headers, body: sent, requestId, gone, exchange: ex };
    const opened = await this.caller.open(model, call);
    if (!opened) return; // the client went away
    ex.pricing = table.prices.get(ref) ?? null;
    await deliverAnswer(res, opened, requestId, { maxJsonDepth: this.options.maxJsonDepth, exchange: ex });
  }

  /** Runs a route; a GatewayError (or anything else) becomes the error answer unless the response has started. */
  private async answer(
    req: IncomingMessage,
    res: ServerResponse,
    ex: Exchange,
    route: (requestId: string) => Promise<void>,
  ): Promise<void> {
    const { requestId } = ex;
    try {
      refuseSimpleRequest(req);
      await route(requestId);
    } catch (error) {
      ex.failed(error);
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
