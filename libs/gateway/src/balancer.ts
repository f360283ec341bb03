import { GatewayError } from './gateway-error.js';
import type { ModelRoute, ProviderRoute } from './routing-table.js';

export interface Candidate {
  provider: ProviderRoute;
  servedName: string;
}

/**
 * Chooses among the providers of a model entity: READY ones only (the
 * reference takes the first, ready or not), the one with the fewest
 * requests in flight first, ties taken in turn. A provider that just failed
 * (connection refused, a 5xx, Retry-After) cools down: it goes last until
 * then. Counts are kept by provider, so they survive routing table reloads.
 */
export class Balancer {
  private readonly inFlight = new Map<string, number>();
  private readonly coolUntil = new Map<string, number>();
  private turn = 0;

  /** The READY providers in the order to try them; a 503 naming every provider and its state when none is READY. */
  candidates(model: ModelRoute, now = Date.now()): Candidate[] {
    const ready = model.providers.filter((c) => c.provider.status === 'READY');
    if (ready.length === 0) {
      const states = model.providers
        .map(
          ({ provider }) =>
            `${provider.ref} is ${provider.status}${provider.statusMessage ? ` (${provider.statusMessage})` : ''}`,
        )
        .join('; ');
      throw new GatewayError(
        503,
        'gateway/no_ready_provider',
        `No READY provider serves model entity ${model.ref}: ${states}. Wait for its deployment to be READY (GET …/deployments/{name}?wait_for=READY).`,
        { 'retry-after': '5' },
      );
    }
    const turn = this.turn++;
    const rank = (c: Candidate) =>
      (this.isCooling(c.provider.ref, now) ? 1e9 : 0) + (this.inFlight.get(c.provider.ref) ?? 0);
    return ready
      .map((c, i) => ({ c, key: rank(c), order: (i + turn) % ready.length }))
      .sort((a, b) => a.key - b.key || a.order - b.order)
      .map(({ c }) => c);
  }

  /** A request to `ref` starts; call the returned function once when it is over (idempotent). */
  begin(ref: string): () => void {
    this.inFlight.set(ref, (this.inFlight.get(ref) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const left = (this.inFlight.get(ref) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(ref);
      else this.inFlight.set(ref, left);
    };
  }

  /** The provider failed: try others first for `ms`. */
  coolDown(ref: string, ms: number, now = Date.now()): void {
    this.coolUntil.set(ref, Math.max(this.coolUntil.get(ref) ?? 0, now + ms));
  }

  inFlightOf(ref: string): number {
    return this.inFlight.get(ref) ?? 0;
  }

  private isCooling(ref: string, now: number): boolean {
    const until = this.coolUntil.get(ref);
    if (until === undefined) return false;
    if (until > now) return true;
    this.coolUntil.delete(ref);
    return false;
  }
}

/** Retry-After in ms (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
