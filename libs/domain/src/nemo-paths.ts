import type { IncomingMessage } from 'node:http';
import { markNemoRequest } from './dialect.js';

/**
 * NeMo's path families, served by Modelplane's own routes (one route table): a request's URL is rewritten
 * before routing, and the request marked as speaking NeMo's vocabulary (see dialect.ts). Each family reaches
 * only the collections it holds in NeMo; anything else is left alone (and answered 404).
 */
const FAMILIES: readonly {
  pattern: RegExp;
  to: (m: RegExpExecArray) => string;
  /** What follows the matched prefix, as the family's server would see it. */
  rest?: (rest: string) => string;
}[] = [
  {
    // Models service: deployment configs, deployments, model entities (and their adapters), adapters, providers.
    pattern:
      /^\/apis\/models\/v2\/workspaces\/([^/?]+)\/(deployment-configs|deployments|models|adapters|providers)(?=[/?]|$)/,
    to: (m) => `/v2/workspaces/${m[1]}/${m[2]}`,
  },
  {
    // Entity store: workspaces and their members.
    pattern: /^\/apis\/entities\/v2\/workspaces(?=$|\?|\/[^/?]+(?:$|\?|\/members(?:$|[/?])))/,
    to: () => '/v2/workspaces',
  },
  {
    pattern: /^\/apis\/secrets\/v2\/workspaces\/([^/?]+)\/secrets(?=[/?]|$)/,
    to: (m) => `/v2/workspaces/${m[1]}/secrets`,
  },
  {
    // The secrets service's admin routine (`secrets.admin.rotate_encryption_keys()`): re-encrypt every secret.
    pattern: /^\/apis\/secrets\/v2\/rotate-encryption-keys(?=\?|$)/,
    to: () => '/v2/admin/secrets/rotate',
  },
  {
    // IAM: role bindings (API keys are Modelplane's own, under the same prefix).
    pattern: /^\/apis\/auth\/v2\/iam\/(role-bindings|api-keys|whoami)(?=[/?]|$)/,
    to: (m) => `/v2/iam/${m[1]}`,
  },
  {
    // The inference gateway's VirtualModel store: a registry resource, served by the API's routes.
    pattern: /^\/apis\/inference-gateway\/v2\/workspaces\/([^/?]+)\/virtual-models(?=[/?]|$)/,
    to: (m) => `/v2/workspaces/${m[1]}/virtual-models`,
  },
  {
    // The inference gateway.
    pattern: /^\/apis\/inference-gateway\/v2\/workspaces\/([^/?]+)\/(model|provider|openai)(?=[/?]|$)/,
    to: (m) => `/v2/workspaces/${m[1]}/inference/gateway/${m[2]}`,
    rest: decodeForwardedSlashes,
  },
];

/** `url` on Modelplane's routes, or null when it is not on one of NeMo's families. */
export function fromNemoPath(url: string): string | null {
  if (!url.startsWith('/apis/')) return null;
  for (const { pattern, to, rest } of FAMILIES) {
    const m = pattern.exec(url);
    if (m) {
      const after = url.slice(m[0].length);
      return to(m) + (rest ? rest(after) : after);
    }
  }
  return null;
}

/**
 * NeMo's SDK sends the forwarded path as one path parameter, its slashes encoded
 * (`inference.gateway.openai.post("v1/chat/completions")` requests `/-/v1%2Fchat%2Fcompletions`), and NeMo's
 * gateway decodes the path before routing, so the upstream gets `v1/chat/completions`. The same here, for
 * NeMo's family only: the slashes after `/-/` are decoded before routing, and the gateway's own checks
 * (dot segments, other escapes) then judge the decoded path. Modelplane's own paths keep refusing them.
 */
function decodeForwardedSlashes(rest: string): string {
  const q = rest.indexOf('?');
  const end = q < 0 ? rest.length : q;
  const at = rest.slice(0, end).indexOf('/-/');
  if (at < 0) return rest;
  return rest.slice(0, at + 3) + rest.slice(at + 3, end).replace(/%2f/gi, '/') + rest.slice(end);
}

/** Fastify's `rewriteUrl`: NeMo's families onto Modelplane's routes, the request marked as NeMo's. */
export function rewriteNemoUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const ours = fromNemoPath(url);
  if (ours === null) return url;
  markNemoRequest(req);
  return ours;
}
