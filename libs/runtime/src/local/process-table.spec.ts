import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { makeStateDir, waitFor } from './__fixtures__/runtime-harness.js';
import { INSTANCE_ID_VAR, instanceProcesses, runningInstanceIds, STATE_DIR_VAR } from './process-table.js';

describe('process table', () => {
  it('finds a process that took on the ownership variables at execve after a scan had seen it without them', async () => {
    // A launcher's child between fork and execve looks just like this: same pid and start time, the launcher's environment.
    const stateDir = await makeStateDir();
    const owner = { instanceId: 'ws.exec.v1', stateDir };
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        `read go; exec env ${INSTANCE_ID_VAR}=${owner.instanceId} ${STATE_DIR_VAR}=${stateDir} "${process.execPath}" -e "setInterval(() => {}, 1000)"`,
      ],
      { stdio: ['pipe', 'ignore', 'ignore'], env: { PATH: '/usr/bin:/bin' } },
    );
    try {
      const pid = child.pid!;
      expect(instanceProcesses(owner, null).pids).toEqual([]);
      child.stdin!.write('\n');
      await waitFor(
        async () => readFileSync(`/proc/${pid}/environ`, 'utf8').includes(INSTANCE_ID_VAR),
        (marked) => marked,
      );
      expect(instanceProcesses(owner, null).pids).toEqual([pid]);
      expect(runningInstanceIds(stateDir)).toEqual(new Set([owner.instanceId]));
    } finally {
      child.kill('SIGKILL');
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
