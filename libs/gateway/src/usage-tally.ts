import type { UsageDelta } from '#db';
import { costOf, type RequestOutcome } from './request-outcome.js';

export const MINUTE_MS = 60_000;
/** Distinct keys held between two flushes: far above one gateway's minute of traffic, and a bound on memory. */
export const DEFAULT_MAX_KEYS = 20_000;

/** Whether an outcome counts as an error in usage: a failure cause, or an error status sent to the client. */
export function isUsageError(outcome: Pick<RequestOutcome, 'cause' | 'status'>): boolean {
  return outcome.cause !== null || outcome.status >= 400;
}

/**
 * Usage counters in memory, per workspace, minute, principal, key, model, provider and currency: what the
 * gateway has served since the last flush. Adding is O(1) and allocates only for a key not seen since then.
 * Beyond `maxKeys` distinct keys a new key's requests are dropped and counted, so a flood of distinct
 * keys while PostgreSQL is down cannot exhaust memory; known keys keep counting.
 */
export class UsageTally {
  private rows = new Map<string, UsageDelta>();
  private dropped = 0;

  constructor(private readonly maxKeys = DEFAULT_MAX_KEYS) {}

  get size(): number {
    return this.rows.size;
  }

  add(outcome: RequestOutcome): void {
    const cost = costOf(outcome);
    this.merge({
      workspace: outcome.workspace,
      bucket: new Date(Math.floor(outcome.startedAt / MINUTE_MS) * MINUTE_MS),
      principal: outcome.principal ?? '',
      keyId: outcome.keyId ?? '',
      model: outcome.model ?? '',
      provider: outcome.provider ?? '',
      currency: cost === null ? '' : outcome.pricing!.currency,
      requests: 1,
      errors: isUsageError(outcome) ? 1 : 0,
      inputTokens: outcome.inputTokens,
      outputTokens: outcome.outputTokens,
      cost,
    });
  }

  /** Everything counted so far, and how many requests were dropped; the tally starts again empty. */
  take(): { rows: UsageDelta[]; dropped: number } {
    const taken = { rows: [...this.rows.values()], dropped: this.dropped };
    this.rows = new Map();
    this.dropped = 0;
    return taken;
  }

  /** Puts back rows that could not be written (added to whatever was counted meanwhile). */
  restore(rows: readonly UsageDelta[]): void {
    for (const row of rows) this.merge(row);
  }

  private merge(delta: UsageDelta): void {
    const key = keyOf(delta);
    const row = this.rows.get(key);
    if (row) {
      row.requests += delta.requests;
      row.errors += delta.errors;
      row.inputTokens += delta.inputTokens;
      row.outputTokens += delta.outputTokens;
      if (delta.cost !== null) row.cost = (row.cost ?? 0) + delta.cost;
    } else if (this.rows.size < this.maxKeys) {
      this.rows.set(key, { ...delta });
    } else {
      this.dropped += delta.requests;
    }
  }
}

function keyOf(d: UsageDelta): string {
  // NUL appears in none of the parts (names, ids and currencies are printable).
  return `${d.workspace}\0${d.bucket.getTime()}\0${d.principal}\0${d.keyId}\0${d.model}\0${d.provider}\0${d.currency}`;
}
