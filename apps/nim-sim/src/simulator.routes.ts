/**
 * The request handler: NIM's health, models and metrics endpoints, the two
 * OpenAI generation endpoints, embeddings, and /v1/sim/config. Plain
 * node:http with a switch on the path: the simulator must never be the
 * bottleneck of a gateway benchmark.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorBody } from './api.error.js';
import { contentOf } from './answer.content.js';
import { completionBody, type Answer } from './completion.responder.js';
import { parseEmbeddingsRequest } from './embeddings.request.js';
import { embeddingsBody } from './embeddings.responder.js';
import { ErrorInjector, simulatedError } from './failure.modes.js';
import { readBody, sendError, sendJson, sendText } from './http.io.js';
import { JsonAnswers } from './json.answer.js';
import { CLIENT_CLOSED, type MetricsRegistry } from './metrics.registry.js';
import type { ModelCatalog } from './model.catalog.js';
import { parseGenerationRequest, type Endpoint } from './openai.request.js';
import type { SimConfig } from './sim.config.js';
import { sendStream, streamPlan } from './stream.responder.js';

export const ROUTES = {
  live: '/v1/health/live',
  ready: '/v1/health/ready',
  models: '/v1/models',
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  metrics: '/v1/metrics',
  simConfig: '/v1/sim/config',
  simRequests: '/v1/sim/requests',
} as const;

/** How many requests /v1/sim/requests remembers. */
const REMEMBERED_REQUESTS = 50;

/**
 * A request as /v1/sim/requests shows it: what a test of a proxy in front of
 * the simulator checks. Credentials are described, never shown.
 */
export interface SeenRequest {
  method: string;
  url: string;
  /** Every header but authorization and x-api-key, as received. */
  headers: Record<string, string>;
  /** `valid` when it is `Bearer <SIM_API_KEY>`, `invalid` when it is something else. */
  authorization: 'valid' | 'invalid' | 'absent';
  x_api_key: 'present' | 'absent';
  /** The request body's `model`, for the generation endpoints. */
  model?: string;
}

/** The metrics label for every path that is not a route, so a scanner cannot grow the label set. */
const OTHER_ROUTE = 'other';

const LIVE = JSON.stringify({ object: 'health.response', message: 'Service is live.' });
const READY = JSON.stringify({ object: 'health.response', message: 'Service is ready.' });
const NOT_READY = JSON.stringify({ object: 'health.response', message: 'Service is not ready.' });
const NOT_FOUND = errorBody(404, 'NotFoundError', 'Not Found');
const METRICS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface RouteDeps {
  config: SimConfig;
  catalog: ModelCatalog;
  metrics: MetricsRegistry;
  isReady: () => boolean;
  /** The simulator's settings as /v1/sim/config shows them. */
  settings: () => Record<string, unknown>;
}

export function createRequestHandler(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, catalog, metrics, isReady } = deps;
  // Separate counts, so embeddings a router sends do not shift which completion fails.
  const injector = new ErrorInjector(config.errorRate);
  const embeddingInjector = new ErrorInjector(config.errorRate);
  const contentSettings = {
    classifierRules: config.classifierRules,
    classifierNoise: config.classifierNoise,
    json: new JsonAnswers(config.jsonMode),
  };
  const seen: SeenRequest[] = [];
  const expectedAuthorization = config.apiKey === null ? null : `Bearer ${config.apiKey}`;

  function remember(req: IncomingMessage): SeenRequest {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === 'authorization' || name === 'x-api-key' || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const authorization = req.headers.authorization;
    const entry: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers,
      authorization:
        authorization === undefined ? 'absent' : authorization === expectedAuthorization ? 'valid' : 'invalid',
      x_api_key: req.headers['x-api-key'] === undefined ? 'absent' : 'present',
    };
    seen.push(entry);
    if (seen.length > REMEMBERED_REQUESTS) seen.shift();
    return entry;
  }

  /** With SIM_API_KEY, true when the request may not pass (and its 401 is sent). */
  function refused(entry: SeenRequest, res: ServerResponse): boolean {
    if (expectedAuthorization === null || entry.authorization === 'valid') return false;
    sendError(res, new ApiError(401, 'AuthenticationError', 'Invalid or missing API key (Authorization: Bearer …)'));
    return true;
  }
  const pacing = { tokenDelayMs: config.tokenDelayMs, cutAfter: config.streamCutAfter };
  // Unique within a process; the random part keeps two simulators apart.
  const idPrefix = Math.random().toString(36).slice(2, 10);
  let sequence = 0;

  function generate(req: IncomingMessage, res: ServerResponse, endpoint: Endpoint, entry: SeenRequest): void {
    if (!isReady()) return sendError(res, notReady());
    readBody(req, (bodyError, raw) => {
      if (bodyError) return sendError(res, bodyError);
      let answer: Answer;
      try {
        const parsed = parseGenerationRequest(endpoint, raw, catalog);
        entry.model = parsed.model;
        const { request, pieces } = contentOf(parsed, contentSettings);
        if (injector.shouldFail()) throw simulatedError();
        answer = {
          id: `${endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-${idPrefix}${(sequence++).toString(36)}`,
          created: Math.floor(Date.now() / 1000),
          request,
          pieces,
        };
      } catch (error) {
        if (error instanceof ApiError) return sendError(res, error);
        throw error;
      }
      metrics.tokens(answer.request.promptTokens, answer.request.completionTokens);
      if (answer.request.stream) return sendStream(res, streamPlan(answer), pacing);
      const body = completionBody(answer);
      const delay = config.tokenDelayMs * answer.request.completionTokens;
      if (delay <= 0) return sendJson(res, 200, body);
      const timer = setTimeout(() => sendJson(res, 200, body), delay);
      res.once('close', () => clearTimeout(timer));
    });
  }

  function embed(req: IncomingMessage, res: ServerResponse, entry: SeenRequest): void {
    if (!isReady()) return sendError(res, notReady());
    readBody(req, (bodyError, raw) => {
      if (bodyError) return sendError(res, bodyError);
      let body: string;
      let promptTokens: number;
      try {
        const request = parseEmbeddingsRequest(raw, catalog, config.embeddingDim);
        entry.model = request.model;
        if (embeddingInjector.shouldFail()) throw simulatedError();
        body = embeddingsBody(request);
        promptTokens = request.promptTokens;
      } catch (error) {
        if (error instanceof ApiError) return sendError(res, error);
        throw error;
      }
      metrics.tokens(promptTokens, 0);
      if (config.embeddingDelayMs <= 0) return sendJson(res, 200, body);
      const timer = setTimeout(() => sendJson(res, 200, body), config.embeddingDelayMs);
      res.once('close', () => clearTimeout(timer));
    });
  }

  return (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const route = routeOf(path);
    metrics.begin();
    // Counted when the response closes, whichever way: answered, cut, or abandoned by the client.
    res.once('close', () => metrics.end(route, res.headersSent ? res.statusCode : CLIENT_CLOSED));

    const method = req.method;
    const entry = path === ROUTES.simRequests ? null : remember(req);
    switch (path) {
      case ROUTES.chat:
      case ROUTES.completions:
        if (method !== 'POST') return methodNotAllowed(res, 'POST');
        if (refused(entry as SeenRequest, res)) return;
        return generate(req, res, path === ROUTES.chat ? 'chat' : 'completion', entry as SeenRequest);
      case ROUTES.embeddings:
        if (method !== 'POST') return methodNotAllowed(res, 'POST');
        if (refused(entry as SeenRequest, res)) return;
        return embed(req, res, entry as SeenRequest);
      case ROUTES.live:
        if (method !== 'GET') return methodNotAllowed(res, 'GET');
        return sendJson(res, 200, LIVE);
      case ROUTES.ready:
        if (method !== 'GET') return methodNotAllowed(res, 'GET');
        return isReady() ? sendJson(res, 200, READY) : sendJson(res, 503, NOT_READY);
      case ROUTES.models:
        if (method !== 'GET') return methodNotAllowed(res, 'GET');
        if (refused(entry as SeenRequest, res)) return;
        return sendJson(res, 200, catalog.listJson());
      case ROUTES.metrics:
        if (method !== 'GET') return methodNotAllowed(res, 'GET');
        return sendText(res, 200, METRICS_TYPE, metrics.render());
      case ROUTES.simConfig:
        if (method !== 'GET') return methodNotAllowed(res, 'GET');
        return sendJson(res, 200, JSON.stringify({ env: config.nimEnv, settings: deps.settings() }));
      case ROUTES.simRequests:
        if (method !== 'GET') return methodNotAllowed(res, 'GET');
        return sendJson(res, 200, JSON.stringify({ data: seen }));
      default:
        return sendJson(res, 404, NOT_FOUND);
    }
  };
}

const KNOWN_ROUTES = new Set<string>(Object.values(ROUTES));

function routeOf(path: string): string {
  return KNOWN_ROUTES.has(path) ? path : OTHER_ROUTE;
}

function notReady(): ApiError {
  return new ApiError(503, 'ServiceUnavailableError', 'Service is not ready.');
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  sendError(res, new ApiError(405, 'MethodNotAllowedError', 'Method Not Allowed'));
}
