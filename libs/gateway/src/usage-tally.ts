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
    const bucket = Math.floor(outcome.startedAt / MINUTE_MS) * MINUTE_MS;
    const currency = cost === null ? '' : outcome.pricing!.currency;
    const key = keyOf(
      outcome.workspace,
      bucket,
      outcome.principal ?? '',
      outcome.keyId ?? '',
      outcome.model ?? '',
      outcome.provider ?? '',
      currency,
    );
    const errors = isUsageError(outcome) ? 1 : 0;
    const row = this.rows.get(key);
    if (row) {
      // The common case, allocation-free: a key already counted since the last flush.
      row.requests += 1;
      row.errors += errors;
      row.inputTokens += outcome.inputTokens;
      row.outputTokens += outcome.outputTokens;
      if (cost !== null) row.cost = (row.cost ?? 0) + cost;
      return;
    }
    this.insert(key, {
      workspace: outcome.workspace,
      bucket: new Date(bucket),
      principal: outcome.principal ?? '',
      keyId: outcome.keyId ?? '',
      model: outcome.model ?? '',
      provider: outcome.provider ?? '',
      currency,
      requests: 1,
      errors,
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
    const key = keyOf(
      delta.workspace,
      delta.bucket.getTime(),
      delta.principal,
      delta.keyId,
      delta.model,
      delta.provider,
      delta.currency,
    );
    const row = this.rows.get(key);
    if (!row) {
      this.insert(key, { ...delta });
      return;
    }
    row.requests += delta.requests;
    row.errors += delta.errors;
    row.inputTokens += delta.inputTokens;
    row.outputTokens += delta.outputTokens;
    if (delta.cost !== null) row.cost = (row.cost ?? 0) + delta.cost;
  }

  private insert(key: string, row: UsageDelta): void {
    if (this.rows.size < this.maxKeys) this.rows.set(key, row);
    else this.dropped += row.requests;
  }
}

// NUL appears in none of the parts (names, ids and currencies are printable).
function keyOf(
  workspace: string,
  bucket: number,
  principal: string,
  keyId: string,
  model: string,
  provider: string,
  currency: string,
): string {
  return `${workspace}\0${bucket}\0${principal}\0${keyId}\0${model}\0${provider}\0${currency}`;
}
