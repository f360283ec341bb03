import { ConflictError } from './errors.js';

export const DEPLOYMENT_STATUSES = ['CREATED', 'PENDING', 'READY', 'FAILED', 'DELETING', 'DELETED'] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/**
 * The one transition table. Keys are the current status, values the statuses
 * a write may move to. Staying in the same status (a new message) is always
 * allowed except from DELETED, which is terminal.
 *
 * READY → PENDING and FAILED → PENDING cover drift recovery and new versions;
 * READY → FAILED covers an instance that dies and cannot be recovered.
 */
const TRANSITIONS: Record<DeploymentStatus, readonly DeploymentStatus[]> = {
  CREATED: ['PENDING', 'READY', 'FAILED', 'DELETING'],
  PENDING: ['READY', 'FAILED', 'DELETING'],
  READY: ['PENDING', 'FAILED', 'DELETING'],
  FAILED: ['PENDING', 'DELETING'],
  DELETING: ['DELETED'],
  DELETED: [],
};

export function isTerminal(status: DeploymentStatus): boolean {
  return status === 'DELETED';
}

export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  if (from === to) return from !== 'DELETED';
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: DeploymentStatus): readonly DeploymentStatus[] {
  return TRANSITIONS[from];
}

export class IllegalTransitionError extends ConflictError {
  constructor(
    public readonly from: DeploymentStatus,
    public readonly to: DeploymentStatus,
  ) {
    super('deployment/illegal_transition', illegalTransitionMessage(from, to));
  }
}

function illegalTransitionMessage(from: DeploymentStatus, to: DeploymentStatus): string {
  if (from === 'DELETING') {
    return `Deployment is marked for deletion (DELETING). Only transition to DELETED is allowed. Refused: DELETING to ${to}.`;
  }
  const allowed = TRANSITIONS[from];
  const next = allowed.length ? `allowed from ${from}: ${allowed.join(', ')}` : `${from} is terminal`;
  return `Illegal status transition from ${from} to ${to} (${next}).`;
}

/** Throws IllegalTransitionError unless `from → to` is in the table. */
export function assertTransition(from: DeploymentStatus, to: DeploymentStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export const STATUS_MESSAGES = {
  created: 'Deployment created',
  updatePending: 'Deployment update pending',
  deletionRequested: 'Deployment deletion requested',
} as const;

export const MAX_STATUS_HISTORY = 100;
