import { HttpException, NotFoundException } from '@nestjs/common';
import { ConflictError, InvalidFieldError, NotFoundError } from '#domain';
import { HttpExceptionFilter } from './exception.filter.js';
import { RequestValidationError } from './http-errors.js';

describe('HttpExceptionFilter.toResponse', () => {
  const filter = new HttpExceptionFilter(1024);

  it('maps domain errors by kind, with their stable code', () => {
    expect(filter.toResponse(new NotFoundError('model', 'm', " in workspace 'w'"))).toEqual([
      404,
      { detail: "Model 'm' was not found in workspace 'w'", code: 'model/not_found' },
    ]);
    expect(filter.toResponse(new ConflictError('x/y', 'busy'))).toEqual([409, { detail: 'busy', code: 'x/y' }]);
  });

  it('gives field errors and validation errors the FastAPI list shape', () => {
    expect(filter.toResponse(new InvalidFieldError(['query', 'sort'], 'bad sort'))[1].detail).toEqual([
      { type: 'value_error', loc: ['query', 'sort'], msg: 'bad sort' },
    ]);
    const issues = [{ type: 'isInt', loc: ['body', 'gpu'], msg: 'gpu must be an integer number' }];
    expect(filter.toResponse(new RequestValidationError(issues))).toEqual([
      422,
      { detail: issues, code: 'validation/failed' },
    ]);
  });

  it('keeps 4xx statuses of Nest and Fastify errors and names the body limit on 413', () => {
    expect(filter.toResponse(new NotFoundException('Cannot GET /x'))).toEqual([
      404,
      { detail: 'Not found: GET /x', code: 'route/not_found' },
    ]);
    expect(filter.toResponse(new HttpException('too big', 413))[0]).toBe(413);
    expect(filter.toResponse(new HttpException('too big', 413))[1].detail).toContain('1024 bytes');
    const unsupported = Object.assign(new Error('x'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    expect(filter.toResponse(unsupported)).toEqual([
      415,
      {
        detail: 'Unsupported Content-Type: request bodies must be application/json (charset utf-8, if given)',
        code: 'request/unsupported_media_type',
      },
    ]);
  });

  it('turns an aborted transaction into a retryable 409', () => {
    const [status, body] = filter.toResponse(new Error('Database error: deadlock detected'));
    expect(status).toBe(409);
    expect(body.detail).toBe('Concurrent modification - please retry.');
  });

  it('says nothing about internals on anything else', () => {
    expect(filter.toResponse(new Error('password=hunter2 connection refused'))).toEqual([
      500,
      { detail: 'Internal server error', code: 'internal' },
    ]);
  });
});
