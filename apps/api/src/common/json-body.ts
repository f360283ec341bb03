import {
  exceedsJsonDepth,
  findUnstorableText,
  InvalidJsonError,
  JsonTooDeepError,
  TEXT_PROBLEM_MESSAGES,
  UnsupportedMediaTypeError,
} from '#domain';
import type { FastifyInstance } from 'fastify';
import { RequestValidationError } from './http-errors.js';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * The API's only body parser. JSON only: a form or `text/plain` body is what a
 * page on another origin can send without a CORS preflight, so accepting one
 * would let any web page write here (415 instead). `application/*+json` is
 * refused too: `merge-patch+json` would promise semantics our PATCH does not
 * have. An empty body parses to nothing, so DELETE and body-less POST work
 * whatever the client sends as Content-Type.
 *
 * Before JSON.parse the raw text's nesting is bounded (recursive code
 * downstream would overflow its stack); after it, strings and keys PostgreSQL
 * cannot store and prototype keys are refused with 422 naming where.
 */
export function useJsonBodies(fastify: FastifyInstance, maxDepth: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    try {
      done(null, parseJsonBody(request.headers['content-type'], text as string, maxDepth));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** A JSON body's text to its value, or the request error that says what is wrong with it. */
export function parseJsonBody(contentType: string | undefined, text: string, maxDepth: number): unknown {
  const charset = CHARSET.exec(contentType ?? '')?.[1].toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new UnsupportedMediaTypeError();
  if (text.trim() === '') return undefined;
  if (exceedsJsonDepth(text, maxDepth)) throw new JsonTooDeepError(maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidJsonError(syntaxReason(error as Error));
  }
  const issue = findUnstorableText(value);
  if (issue) {
    throw new RequestValidationError([
      { type: `string_${issue.problem}`, loc: ['body', ...issue.path], msg: TEXT_PROBLEM_MESSAGES[issue.problem] },
    ]);
  }
  return value;
}

/**
 * V8's reason without the body text it sometimes quotes (`Unexpected token 's', "{"value": sk-…" is not valid
 * JSON`): a body may carry a secret, and error messages must not.
 */
function syntaxReason(error: Error): string {
  const quoted = /^(Unexpected token .*?), ".*" is not valid JSON$/s.exec(error.message);
  return quoted ? quoted[1] : error.message.slice(0, 200);
}
