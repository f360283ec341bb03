import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { requestAccess } from '#auth';
import { isTransactionConflict } from '#db';
import {
  BodyTooLargeError,
  ConcurrentModificationError,
  DomainError,
  requestErrorCode,
  UnsupportedMediaTypeError,
} from '#domain';
import type { FastifyReply } from 'fastify';
import { bodyOf, headersOf, RequestValidationError, statusOf, type ErrorBody } from './http-errors.js';

/**
 * The one place errors become HTTP responses, always `{"detail": …}` with a
 * stable `code`. Domain errors map by kind; Nest and Fastify errors keep their
 * 4xx status; anything else is a 500 whose body says nothing about internals.
 * (What Node's HTTP parser refuses before Fastify sees a request is answered
 * by client-errors.ts, in the same shape.)
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly maxBodyBytes: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.reply(exception, host.switchToHttp().getResponse<FastifyReply>());
  }

  /** Answers `exception` on `reply`; also Fastify's error handler where Nest's is not installed (see createApp). */
  reply(exception: unknown, reply: FastifyReply): void {
    const [status, body] = this.toResponse(exception);
    // What the audit event of a refused or failed change says: our own message for a refusal, the code
    // otherwise (a validation message may quote what the caller sent).
    const access = requestAccess(reply.request.raw);
    if (access)
      access.error = (status === 401 || status === 403) && typeof body.detail === 'string' ? body.detail : body.code;
    if (status >= 500) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`${err.name}: ${err.message}`, err.stack);
    }
    void reply
      .status(status)
      .headers(headersOf(exception))
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
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
      if (status === 413) return this.toResponse(new BodyTooLargeError(this.maxBodyBytes));
      if (status === 415) return this.toResponse(new UnsupportedMediaTypeError());
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : String((response as { message?: unknown }).message ?? exception.message);
      const detail = status === 404 && message.startsWith('Cannot ') ? `Not found: ${message.slice(7)}` : message;
      return [status, { detail, code: requestErrorCode(status) }];
    }
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const error = exception as Error & { code?: string };
      if (fastifyStatus === 413) return this.toResponse(new BodyTooLargeError(this.maxBodyBytes));
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return this.toResponse(new UnsupportedMediaTypeError());
      return [fastifyStatus, { detail: fastifyMessage(error), code: requestErrorCode(fastifyStatus) }];
    }
    return [500, { detail: 'Internal server error', code: 'internal' }];
  }
}

function fastifyMessage(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Request body length does not match the Content-Length header';
    default:
      return error.message;
  }
}
