import type { IncomingMessage } from 'node:http';
import type { DeploymentStatus } from './deployment-status.js';

/**
 * The two vocabularies Modelplane speaks. Its own paths (`/v2/…`) use the documented one (NeMo's
 * documentation: a failed deployment is FAILED). NeMo's path families (`/apis/models/v2/…`, …), which
 * NeMo's SDK and CLI call, speak the vocabulary of NeMo's code, whose deployments fail with ERROR (its
 * SDK's wait helper stops on ERROR). The stored value is always ours; the wire translates.
 */
export type Dialect = 'modelplane' | 'nemo';

const NEMO_STATUS: Partial<Record<DeploymentStatus, string>> = { FAILED: 'ERROR' };
const FROM_NEMO: Record<string, DeploymentStatus> = { ERROR: 'FAILED' };

/** A deployment status as the dialect says it. */
export function statusOnWire(status: DeploymentStatus, dialect: Dialect): string {
  return dialect === 'nemo' ? (NEMO_STATUS[status] ?? status) : status;
}

/** A status a client sent, as stored (unknown values pass through, for the validator to name). */
export function statusFromWire(value: string, dialect: Dialect): string {
  return dialect === 'nemo' ? (FROM_NEMO[value] ?? value) : value;
}

/** The deployment statuses a dialect's clients send and read. */
export function statusesOnWire(statuses: readonly DeploymentStatus[], dialect: Dialect): string[] {
  return statuses.map((s) => statusOnWire(s, dialect));
}

const nemoRequests = new WeakSet<IncomingMessage>();

/** Marks a request that arrived on one of NeMo's path families (see the API's nemo-paths). */
export function markNemoRequest(req: IncomingMessage): void {
  nemoRequests.add(req);
}

export function dialectOf(req: IncomingMessage): Dialect {
  return nemoRequests.has(req) ? 'nemo' : 'modelplane';
}
