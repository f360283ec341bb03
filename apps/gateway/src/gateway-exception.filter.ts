import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, refusalOf, requestIdOf } from '#gateway';

const ROUTES =
  'the gateway routes are /v2/workspaces/{workspace}/inference/gateway/model/{entity}/-/{path}, ' +
  '…/provider/{name}/-/{path} and …/openai/-/{path}';

/**
 * The gateway app's answers to what never reaches a gateway route (an unknown
 * path or method, a URL the router cannot read), in the routes' own error
 * shape, so an OpenAI SDK pointed at a wrong base URL says why.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('GatewayError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendGatewayError(http.getResponse<FastifyReply>(), request, this.toGatewayError(exception, request));
  }

  private toGatewayError(exception: unknown, request: FastifyRequest): GatewayError {
    // The guard's refusal of a route of the app itself (GET /metrics without a key or permission).
    const refusal = refusalOf(exception);
    if (refusal) return refusal;
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      return new GatewayError(404, 'gateway/no_route', `No route for ${request.method} ${pathOf(request)}: ${ROUTES}`);
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return new GatewayError(exception.getStatus(), 'gateway/bad_request', exception.message);
    }
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`${error.name}: ${error.message}`, error.stack);
    return new GatewayError(500, 'gateway/internal', 'Internal gateway error');
  }
}

/** Fastify's `frameworkErrors`: a URL with a malformed escape, or a path segment over maxParamLength. */
export function gatewayFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `A segment of the path ${pathOf(request)} is longer than the router's limit`
      : `The path ${pathOf(request)} is not a valid URL path (a malformed %-escape?)`;
  const status = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 400;
  sendGatewayError(reply, request, new GatewayError(status, 'gateway/bad_path', message));
}

function sendGatewayError(reply: FastifyReply, request: FastifyRequest, error: GatewayError): void {
  void reply
    .status(error.status)
    .headers({ 'content-type': 'application/json', ...error.headers })
    .send(error.body(requestIdOf(request.raw)));
}

/** The request's path, shortened: it is the client's own text, echoed for them to see what was wrong. */
function pathOf(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
