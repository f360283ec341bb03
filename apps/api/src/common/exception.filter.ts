import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { isTransactionConflict } from '#db';
import { ConcurrentModificationError, DomainError } from '#domain';
import type { FastifyReply } from 'fastify';
import { bodyOf, RequestValidationError, statusOf, type ErrorBody } from './http-errors.js';

/**
 * The one place errors become HTTP responses, always `{"detail": …}`.
 * Domain errors map by kind; Nest and Fastify errors keep their 4xx status;
 * anything else is a 500 whose body says nothing about internals.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly maxBodyBytes: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.toResponse(exception);
    if (status >= 500) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`${err.name}: ${err.message}`, err.stack);
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  toResponse(exception: unknown): [number, ErrorBody] {
    if (exception instanceof RequestValidationError) {
      return [422, { detail: exception.issues, code: exception.code }];
    }
    if (exception instanceof DomainError) return [statusOf(exception), bodyOf(exception)];
    // PostgreSQL gave up on a transaction (deadlock or serialization failure): the client may retry.
    if (isTransactionConflict(exception)) return this.toResponse(new ConcurrentModificationError());
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 413)
        return [
          413,
          { detail: `Request body is larger than the limit of ${this.maxBodyBytes} bytes`, code: 'request/too_large' },
        ];
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      return [
        status,
        { detail: status === 404 && message.startsWith('Cannot ') ? `Not found: ${message.slice(7)}` : message },
      ];
    }
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      if (fastifyStatus === 413)
        return [
          413,
          { detail: `Request body is larger than the limit of ${this.maxBodyBytes} bytes`, code: 'request/too_large' },
        ];
      return [fastifyStatus, { detail: fastifyMessage(exception as Error & { code?: string }) }];
    }
    return [500, { detail: 'Internal server error', code: 'internal' }];
  }
}

function fastifyMessage(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type; send application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is empty; send a JSON object';
    default:
      // JSON syntax errors carry the parser's message ("Unexpected token …"), which names no stored data.
      return error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
        ? `Invalid JSON body: ${error.message}`
        : error.message;
  }
}
