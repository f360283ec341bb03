/** Errors in the shape NIM and vLLM answer with: `{"error":{"message","type","code"}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get body(): string {
    return errorBody(this.status, this.type, this.message);
  }
}

export function errorBody(status: number, type: string, message: string): string {
  return JSON.stringify({ error: { message, type, code: status } });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequestError', message);
}

export function modelNotFound(model: string): ApiError {
  return new ApiError(404, 'NotFoundError', `The model \`${model}\` does not exist.`);
}
