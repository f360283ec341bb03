import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DomainError,
  TooManyAuthFailuresError,
  UnauthenticatedError,
  type AccessCode,
  type DomainErrorKind,
} from '#domain';
import type { Exchange, GatewayRouteKind } from '../exchange.js';
import { GatewayError, sendGatewayError } from '../gateway-error.js';
import type { GatewayProxy } from '../gateway.proxy.js';

const BASE = '/v2/workspaces/:workspace/inference/gateway';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

type Params = { workspace: string; name: string };
type Request = FastifyRequest<{ Params: Params }>;

/** Who called (never a credential): the principal's id and, when it used one, the API key's id. */
export interface GatewayCaller {
  id: string;
  keyId: string | null;
}

/**
 * Who may call a gateway route (libs/auth's GatewayAccess): `check` resolves to the caller (null when
 * access control is off), or throws the DomainError (401, 403, 429) to answer with; `refused` records
 * the refusal and why (the audit log).
 */
export interface GatewayGuard {
  check(
    request: FastifyRequest,
    declaration: 'inference',
    workspace: string,
    action: string,
  ): Promise<GatewayCaller | null>;
  refused(request: FastifyRequest, status: number, message: string): void;
}

/** Each gateway route with the permission it declares (every route has one; see the route-declaration test). */
export interface GatewayRoute {
  methods: readonly string[];
  url: string;
  access: 'inference';
  /** The audit event's action for a refused call. */
  action: string;
  /** The route as RequestOutcome names it. */
  kind: GatewayRouteKind;
  handle(proxy: GatewayProxy, request: Request, reply: FastifyReply, exchange: Exchange): Promise<void> | void;
}

export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  {
    methods: ['GET'],
    url: `${BASE}/openai/-/v1/models`,
    access: 'inference',
    action: 'inference.list_models',
    kind: 'models',
    handle: (proxy, request, reply, exchange) =>
      proxy.listModels(request.raw, reply.raw, request.params.workspace, exchange),
  },
  // One model, from the routing table: the SDKs' models.retrieve("{ws}/{entity}") sends the slash as %2F,
  // which the routes that forward refuse.
  ...['openai', 'model/:name'].map((prefix): GatewayRoute => ({
    methods: ['GET'],
    url: `${BASE}/${prefix}/-/v1/models/*`,
    access: 'inference',
    action: 'inference.get_model',
    kind: 'models',
    handle: (proxy, request, reply, exchange) =>
      proxy.retrieveModel(request.raw, reply.raw, request.params.workspace, exchange),
  })),
  {
    methods: METHODS,
    url: `${BASE}/openai/-/*`,
    access: 'inference',
    action: 'inference.openai',
    kind: 'openai',
    handle: (proxy, request, reply, exchange) =>
      proxy.openai(request.raw, reply.raw, request.params.workspace, exchange),
  },
  {
    methods: METHODS,
    url: `${BASE}/model/:name/-/*`,
    access: 'inference',
    action: 'inference.model',
    kind: 'model',
    handle: (proxy, request, reply, exchange) =>
      proxy.model(request.raw, reply.raw, request.params.workspace, request.params.name, exchange),
  },
  {
    methods: ['GET'],
    url: `${BASE}/provider/:name/ready`,
    access: 'inference',
    action: 'inference.provider_ready',
    kind: 'provider',
    handle: (proxy, request, reply, exchange) =>
      proxy.providerReady(request.raw, reply.raw, request.params.workspace, request.params.name, exchange),
  },
  // Recommendation mode: the decision of a virtual model without calling its target. On the registry's path
  // (`/v2/workspaces/{ws}/virtual-models/{name}/decision`, and NeMo's `/apis/inference-gateway/v2/…` through the
  // rewrite), served by the gateway and by the API when it serves the gateway's routes.
  {
    methods: ['POST'],
    url: '/v2/workspaces/:workspace/virtual-models/:name/decision',
    access: 'inference',
    action: 'inference.decision',
    kind: 'decision',
    handle: (proxy, request, reply, exchange) =>
      proxy.decision(request.raw, reply.raw, request.params.workspace, request.params.name, false, exchange),
  },
  {
    methods: ['POST'],
    url: '/v2/workspaces/:workspace/virtual-models/:name/decision/-/v1/chat/completions',
    access: 'inference',
    action: 'inference.decision',
    kind: 'decision',
    handle: (proxy, request, reply, exchange) =>
      proxy.decision(request.raw, reply.raw, request.params.workspace, request.params.name, true, exchange),
  },
  {
    methods: METHODS,
    url: `${BASE}/provider/:name/-/*`,
    access: 'inference',
    action: 'inference.provider',
    kind: 'provider',
    handle: (proxy, request, reply, exchange) =>
      proxy.provider(request.raw, reply.raw, request.params.workspace, request.params.name, exchange),
  },
];

/** The route config flag of the gateway's routes: they write their own log line and metrics (instrumentHttp's ownTelemetry). */
const OWN_TELEMETRY = 'gatewayTelemetry';

/** Whether `request` came by a gateway route (which writes its own line and metrics). */
export function ownsTelemetry(request: FastifyRequest): boolean {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[OWN_TELEMETRY] === true;
}

const REFUSAL_STATUS: Partial<Record<DomainErrorKind, number>> = {
  unauthenticated: 401,
  forbidden: 403,
  rate_limited: 429,
};

/** An access refusal as the gateway answers it (OpenAI's error shape, with the Bearer challenge of a 401). */
export function refusalOf(error: unknown): GatewayError | null {
  if (!(error instanceof DomainError)) return null;
  const status = REFUSAL_STATUS[error.kind];
  if (status === undefined) return null;
  const headers: Record<string, string> = {};
  if (error instanceof UnauthenticatedError) headers['www-authenticate'] = error.challenge;
  if (error instanceof TooManyAuthFailuresError) headers['retry-after'] = String(error.retryAfterSeconds);
  return new GatewayError(status, error.code as AccessCode, error.message, headers);
}

/**
 * The gateway's routes, as a Fastify plugin with a content-type parser of its
 * own that reads nothing: each route reads (or streams) the body itself, so
 * the provider route never buffers one. Answers are written to Node's
 * response (the reply is hijacked), bypassing Nest and Fastify serialisation.
 * Every route is checked by `guard` before it reads anything of the request.
 */
export function gatewayRoutes(proxy: GatewayProxy, guard: GatewayGuard) {
  return async (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    for (const route of GATEWAY_ROUTES) {
      app.route({
        method: [...route.methods],
        url: route.url,
        config: { access: route.access, [OWN_TELEMETRY]: true },
        handler: async (request: Request, reply: FastifyReply): Promise<void> => {
          reply.hijack();
          const { workspace } = request.params;
          const exchange = proxy.telemetry.open(
            request.raw,
            reply.raw,
            String(request.id),
            route.kind,
            route.url,
            workspace,
          );
          try {
            const caller = await guard.check(request, route.access, workspace, route.action);
            if (caller) {
              exchange.principal = caller.id;
              exchange.keyId = caller.keyId;
            }
          } catch (error) {
            const refusal = refusalOf(error);
            if (!refusal) throw error;
            exchange.cause = 'refused';
            sendGatewayError(request.raw, reply.raw, refusal, exchange.requestId);
            guard.refused(request, refusal.status, refusal.message);
            return;
          }
          await route.handle(proxy, request, reply, exchange);
        },
      });
    }
  };
}
