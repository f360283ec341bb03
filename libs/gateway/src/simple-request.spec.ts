import type { IncomingMessage } from 'node:http';
import { GatewayError } from './gateway-error.js';
import { refuseSimpleRequest } from './simple-request.js';

const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;

describe('refuseSimpleRequest', () => {
  it.each([
    ['text/plain;charset=UTF-8'],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=x'],
    [' Text/Plain '],
  ])('refuses a POST of %s without Authorization or x-api-key with 415', (type) => {
    expect(() => refuseSimpleRequest(req('POST', { 'content-type': type }))).toThrow(GatewayError);
    expect(() => refuseSimpleRequest(req('POST', { 'content-type': type }))).toThrow(/cross-site request forgery/);
  });

  it('refuses a POST without a content type', () => {
    expect(() => refuseSimpleRequest(req('POST', {}))).toThrow(/no Content-Type/);
  });

  it.each([
    ['POST', { 'content-type': 'application/json' }],
    ['POST', { 'content-type': 'multipart/form-data; boundary=x', authorization: 'Bearer k' }],
    ['POST', { 'content-type': 'text/plain', 'x-api-key': 'k' }],
    ['PUT', { 'content-type': 'text/plain' }],
    ['GET', {}],
  ])('lets %s %j through', (method, headers) => {
    expect(() => refuseSimpleRequest(req(method, headers))).not.toThrow();
  });
});
