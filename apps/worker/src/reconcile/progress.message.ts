import type { InstanceProgress, ProgressPhase } from '#runtime';

/**
 * Progress while waiting, as a PENDING version's status message: what the
 * instance waits on and for how long (`Pulling image nvcr.io/…, 3m12s`).
 * The label of each phase starts the message, so the planner can tell from
 * the stored message whether the phase moved (a history entry) or only the
 * clock did (a rewrite of the message).
 */
const LABELS: Record<ProgressPhase, string> = {
  unschedulable: 'Unschedulable: ',
  scheduled: 'Scheduled on ',
  mounting: 'Mounting volumes: ',
  pulling: 'Pulling image ',
  creating: 'Creating container ',
  backoff: 'Back-off: ',
  readiness: 'Waiting for readiness: ',
  starting: 'Starting: ',
};

/** The message the planner writes when a version is created; the local runtime's progress continues it. */
export const STARTING_INSTANCE = 'Starting instance';

export function progressMessage(progress: InstanceProgress, now: Date): string {
  return `${LABELS[progress.phase]}${progress.detail}, ${formatDuration(now.getTime() - progress.since.getTime())}`;
}

/** The phase a stored message reports, or null for any other message. */
export function progressPhaseOf(message: string): ProgressPhase | null {
  if (message.startsWith(STARTING_INSTANCE)) return 'starting';
  for (const [phase, label] of Object.entries(LABELS) as [ProgressPhase, string][]) {
    if (message.startsWith(label)) return phase;
  }
  return null;
}

/** `12s`, `3m12s`, `6m`, `1h4m`: whole seconds, the two largest units, zeros left out. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) {
    const rest = seconds % 60;
    return `${Math.floor(seconds / 60)}m${rest ? `${rest}s` : ''}`;
  }
  const minutes = Math.floor((seconds % 3600) / 60);
  return `${Math.floor(seconds / 3600)}h${minutes ? `${minutes}m` : ''}`;
}
