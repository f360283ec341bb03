import type { IncomingMessage } from 'node:http';
import { markNemoRequest } from './dialect.js';

/**
 * NeMo's path families, served by Modelplane's own routes (one route table): a request's URL is rewritten
 * before routing, and the request marked as speaking NeMo's vocabulary (see dialect.ts). Each family reaches
 * only the collections it holds in NeMo; anything else is left alone (and answered 404).
 */
const FAMILIES: readonly { pattern: RegExp; to: (m: RegExpExecArray) => string }[] = [
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
    // IAM: role bindings (API keys are Modelplane's own, under the same prefix).
    pattern: /^\/apis\/auth\/v2\/iam\/(role-bindings|api-keys|whoami)(?=[/?]|$)/,
    to: (m) => `/v2/iam/${m[1]}`,
  },
  {
    // The inference gateway.
    pattern: /^\/apis\/inference-gateway\/v2\/workspaces\/([^/?]+)\/(model|provider|openai)(?=[/?]|$)/,
    to: (m) => `/v2/workspaces/${m[1]}/inference/gateway/${m[2]}`,
  },
];

/** `url` on Modelplane's routes, or null when it is not on one of NeMo's families. */
export function fromNemoPath(url: string): string | null {
  if (!url.startsWith('/apis/')) return null;
  for (const { pattern, to } of FAMILIES) {
    const m = pattern.exec(url);
    if (m) return to(m) + url.slice(m[0].length);
  }
  return null;
}

/** Fastify's `rewriteUrl`: NeMo's families onto Modelplane's routes, the request marked as NeMo's. */
export function rewriteNemoUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const ours = fromNemoPath(url);
  if (ours === null) return url;
  markNemoRequest(req);
  return ours;
}
