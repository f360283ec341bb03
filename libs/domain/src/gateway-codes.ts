/**
 * The inference gateway's error codes, stable for clients to branch on. They
 * appear as `code` (and `error.code`) in every error the gateway answers; the
 * status each one carries is set where it is thrown (libs/gateway).
 */
export const GATEWAY_CODES = [
  // The request (libs/gateway: gateway.proxy.ts, request-body.ts, upstream-request.ts, simple-request.ts;
  // apps/gateway: gateway-exception.filter.ts)
  'gateway/no_route',
  'gateway/bad_request',
  'gateway/no_path',
  'gateway/bad_path',
  'gateway/bad_json',
  'gateway/json_too_deep',
  'gateway/body_too_large',
  'gateway/simple_request',
  'gateway/no_model',
  'gateway/bad_model_name',
  'gateway/other_workspace',
  // Routing (gateway.proxy.ts, balancer.ts, model-objects.ts; virtual-route.ts: a virtual model that chose nothing)
  'gateway/model_not_found',
  'gateway/virtual_model_no_target',
  'gateway/no_provider',
  'gateway/no_ready_provider',
  'gateway/provider_not_found',
  'gateway/provider_not_ready',
  'gateway/secret_unavailable',
  'gateway/no_attempt',
  // The upstream (upstream-errors.ts, gateway.proxy.ts; http-answers.ts: the SSE `event: error`)
  'gateway/network',
  'gateway/upstream_rejected',
  'gateway/upstream_error',
  'gateway/bad_upstream_json',
  'gateway/stream_interrupted',
  // A bug of ours (gateway.proxy.ts)
  'gateway/internal',
] as const;

export type GatewayCode = (typeof GATEWAY_CODES)[number];
