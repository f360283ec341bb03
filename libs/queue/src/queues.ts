/**
 * Queue names, job payloads and deterministic job identities. Shared by the
 * API (which enqueues) and the worker (which processes); nothing here talks
 * to Redis.
 */
export const RECONCILE_QUEUE = 'modelplane-reconcile';
export const MAINTENANCE_QUEUE = 'modelplane-maintenance';

export const JOBS = {
  reconcile: 'reconcile',
  resync: 'resync',
  discoverProviders: 'discover-providers',
} as const;

/**
 * A reconcile job carries only which deployment (everything else is read fresh), and where it came
 * from, so the worker's lines and spans join the request that caused it.
 */
export interface ReconcileJob extends JobOrigin {
  workspace: string;
  name: string;
}

/** The request a job was enqueued for: its id (in every log line of the job) and its W3C trace context. */
export interface JobOrigin {
  requestId?: string;
  traceparent?: string;
  tracestate?: string;
}

/**
 * One identity per deployment: a burst of changes collapses into one waiting
 * job, and one deployment is never reconciled twice at once.
 */
export function reconcileKey(workspace: string, name: string): string {
  return `deployment:${workspace}/${name}`;
}
