import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayProxy } from '../gateway.proxy.js';

const BASE = '/v2/workspaces/:workspace/inference/gateway';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

type Params = { workspace: string; name: string };

/**
 * The gateway's routes, as a Fastify plugin with a content-type parser of its
 * own that reads nothing: each route reads (or streams) the body itself, so
 * the provider route never buffers one. Answers are written to Node's
 * response (the reply is hijacked), bypassing Nest and Fastify serialisation.
 */
export function gatewayRoutes(proxy: GatewayProxy) {
  return async (app: FastifyInstance): Promise<void> => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const raw =
      (handle: (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => Promise<void> | void) =>
      async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply): Promise<void> => {
        reply.hijack();
        await handle(request, reply);
      };
    app.get(
      `${BASE}/openai/-/v1/models`,
      raw((request, reply) => proxy.listModels(request.raw, reply.raw, request.params.workspace)),
    );
    // One model, from the routing table: the SDKs' models.retrieve("{ws}/{entity}") sends the slash as %2F,
    // which the routes that forward refuse.
    for (const prefix of ['openai', 'model/:name']) {
      app.get(
        `${BASE}/${prefix}/-/v1/models/*`,
        raw((request, reply) => proxy.retrieveModel(request.raw, reply.raw, request.params.workspace)),
      );
    }
    app.route({
      method: [...METHODS],
      url: `${BASE}/openai/-/*`,
      handler: raw((request, reply) => proxy.openai(request.raw, reply.raw, request.params.workspace)),
    });
    app.route({
      method: [...METHODS],
      url: `${BASE}/model/:name/-/*`,
      handler: raw((request, reply) =>
        proxy.model(request.raw, reply.raw, request.params.workspace, request.params.name),
      ),
    });
    app.route({
      method: [...METHODS],
      url: `${BASE}/provider/:name/-/*`,
      handler: raw((request, reply) =>
        proxy.provider(request.raw, reply.raw, request.params.workspace, request.params.name),
      ),
    });
  };
}
