import {
  allowedTransitions,
  assertTransition,
  canTransition,
  DEPLOYMENT_STATUSES,
  IllegalTransitionError,
  isTerminal,
  type DeploymentStatus,
} from './deployment-status.js';
import { ConflictError, DomainError } from './errors.js';

/**
 * The lifecycle as the seed documentation describes it
 * (CREATED → PENDING → READY/FAILED → DELETING → DELETED), written out here
 * independently of the implementation so a change to the table shows up.
 */
const EXPECTED: Record<DeploymentStatus, DeploymentStatus[]> = {
  CREATED: ['PENDING', 'READY', 'FAILED', 'DELETING'],
  PENDING: ['READY', 'FAILED', 'DELETING'],
  READY: ['PENDING', 'FAILED', 'DELETING'],
  FAILED: ['PENDING', 'DELETING'],
  DELETING: ['DELETED'],
  DELETED: [],
};

const pairs: [DeploymentStatus, DeploymentStatus][] = DEPLOYMENT_STATUSES.flatMap((from) =>
  DEPLOYMENT_STATUSES.map((to) => [from, to] as [DeploymentStatus, DeploymentStatus]),
);

describe('deployment status transition table', () => {
  it('knows exactly the six statuses', () => {
    expect([...DEPLOYMENT_STATUSES].sort()).toEqual(['CREATED', 'DELETED', 'DELETING', 'FAILED', 'PENDING', 'READY']);
  });

  it.each(pairs)('%s → %s follows the lifecycle', (from, to) => {
    const expected = from === to ? from !== 'DELETED' : EXPECTED[from].includes(to);
    expect(canTransition(from, to)).toBe(expected);
    if (expected) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it('lists the allowed targets of each status, never the status itself', () => {
    for (const from of DEPLOYMENT_STATUSES) {
      expect([...allowedTransitions(from)].sort()).toEqual([...EXPECTED[from]].sort());
      expect(allowedTransitions(from)).not.toContain(from);
    }
  });

  it('agrees between canTransition and allowedTransitions for every pair of different statuses', () => {
    for (const [from, to] of pairs) {
      if (from !== to) expect(canTransition(from, to)).toBe(allowedTransitions(from).includes(to));
    }
  });

  it('treats DELETED as terminal: nothing leaves it, not even DELETED again', () => {
    expect(isTerminal('DELETED')).toBe(true);
    for (const s of DEPLOYMENT_STATUSES) {
      if (s !== 'DELETED') expect(isTerminal(s)).toBe(false);
      expect(canTransition('DELETED', s)).toBe(false);
    }
    expect(allowedTransitions('DELETED')).toEqual([]);
  });

  it('lets every non-terminal status keep its status with a new message', () => {
    for (const s of DEPLOYMENT_STATUSES) expect(canTransition(s, s)).toBe(s !== 'DELETED');
  });

  it('only lets DELETING go to DELETED, and only DELETING reaches DELETED', () => {
    for (const s of DEPLOYMENT_STATUSES) {
      expect(canTransition('DELETING', s)).toBe(s === 'DELETED' || s === 'DELETING');
      expect(canTransition(s, 'DELETED')).toBe(s === 'DELETING');
    }
  });

  it('can reach DELETING from every status but DELETED', () => {
    for (const s of DEPLOYMENT_STATUSES) expect(canTransition(s, 'DELETING')).toBe(s !== 'DELETED');
  });

  it.each(pairs.filter(([from, to]) => !canTransition(from, to)))(
    'refusing %s → %s is a 409-kind conflict whose message names both states',
    (from, to) => {
      let caught: unknown;
      try {
        assertTransition(from, to);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(IllegalTransitionError);
      expect(caught).toBeInstanceOf(ConflictError);
      const err = caught as IllegalTransitionError;
      expect(err).toBeInstanceOf(DomainError);
      expect(err.kind).toBe('conflict');
      expect(err.code).toBe('deployment/illegal_transition');
      expect(err.from).toBe(from);
      expect(err.to).toBe(to);
      expect(err.message).toContain(from);
      expect(err.message).toContain(to);
    },
  );

  it('uses the reference wording when leaving DELETING', () => {
    for (const to of DEPLOYMENT_STATUSES.filter((s) => !canTransition('DELETING', s))) {
      expect(() => assertTransition('DELETING', to)).toThrow(
        'Deployment is marked for deletion (DELETING). Only transition to DELETED is allowed.',
      );
    }
  });

  it('says DELETED is terminal when something tries to leave it', () => {
    expect(() => assertTransition('DELETED', 'READY')).toThrow(/DELETED is terminal/);
  });

  it('lists the allowed targets in the message of other refusals', () => {
    expect(() => assertTransition('FAILED', 'READY')).toThrow(
      'Illegal status transition from FAILED to READY (allowed from FAILED: PENDING, DELETING).',
    );
  });
});
