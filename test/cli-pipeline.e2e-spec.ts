import { jest } from '@jest/globals';
import { parse } from 'yaml';
import { newWorkspace } from './api-harness.js';
import { cliFor, documentsDir, pipelineDocuments } from './cli-harness.js';
import { startControlPlane, type ControlPlane } from './worker-harness.js';

jest.setTimeout(120_000);

/**
 * The pipeline a team runs with `modelplane`, against a real API and worker
 * (local runtime, NIM simulators as the instances): apply, wait, re-apply,
 * roll forward, undo; a failing deployment and a timeout with their exit codes.
 */
describe('modelplane CLI: the CI pipeline', () => {
  let plane: ControlPlane;
  let ws: string;
  let cli: ReturnType<typeof cliFor>;
  let file: Awaited<ReturnType<typeof documentsDir>>;

  beforeAll(async () => {
    // A long PENDING timeout: the timeout test must be the CLI's, not the worker's.
    plane = await startControlPlane({ PENDING_TIMEOUT_MS: '60000' });
    ws = await newWorkspace(plane.api, 'cli');
    cli = cliFor(plane.api.url, ws);
    file = await documentsDir();
  });
  afterAll(async () => {
    await plane.close();
  });

  const stored = async (path: string) => (await plane.api.request('GET', `/v2/workspaces/${ws}/${path}`)).body;

  it('applies v1 and waits for READY, re-applies with nothing changed, rolls to v2, and undoes it', async () => {
    const v1 = await file('v1.yaml', pipelineDocuments('chat', { SIM_START_DELAY_MS: '200' }));
    const v2 = await file('v2.yaml', pipelineDocuments('chat', { SIM_START_DELAY_MS: '100' }));

    // Before anything exists, diff says what would be created and exits 1.
    const before = await cli(['diff', '-f', v1]);
    expect(before).toMatchObject({ code: 1 });
    expect(before.stdout).toContain(`create ${ws}/deploymentconfig/chat`);
    expect(before.stdout).toContain('+config_version: 1');

    const first = await cli(['apply', '-f', v1, '--wait', '--timeout', '60s']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      'deploymentconfig/chat created (version 1)\ndeployment/chat created (version 1, config chat v1)\n',
    );
    // One progress line per change in a CI log, then the outcome.
    expect(first.stderr).toMatch(/^\[ *\d+s\] deployment\/chat v1 (CREATED|PENDING)/m);
    expect(first.stderr).toMatch(/deployment\/chat v1 is READY after \d+s\n$/);
    expect((await stored('deployments/chat')).status).toBe('READY');
    // On a terminal: one live line (rewritten in place, ANSI), then the outcome.
    const live = await cli(['wait', 'chat', '--timeout', '10s'], { tty: true });
    expect(live.code).toBe(0);
    expect(live.stderr).toContain('\u001b[');
    expect(live.stderr).toMatch(/deployment\/chat v1 is READY after \d+s\n$/);

    // The same documents again: nothing changes, no new version, no restart.
    const again = await cli(['apply', '-f', v1, '--wait', '--timeout', '30s']);
    expect(again).toMatchObject({ code: 0, stdout: 'deploymentconfig/chat unchanged\ndeployment/chat unchanged\n' });
    expect((await stored('deployment-configs/chat')).entity_version).toBe(1);
    expect((await stored('deployments/chat')).entity_version).toBe(1);
    expect(await cli(['diff', '-f', v1])).toMatchObject({ code: 0, stdout: '' });

    // v2: diff shows the changed line and the version to come; apply makes config v2 and deployment v2.
    const changed = await cli(['diff', '-f', v2]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('update ' + `${ws}/deploymentconfig/chat (becomes version 2)`);
    expect(changed.stdout).toContain('-    SIM_START_DELAY_MS: "200"\n+    SIM_START_DELAY_MS: "100"');
    expect(changed.stdout).toContain('-config_version: 1\n+config_version: 2');
    const second = await cli(['apply', '-f', v2, '--wait', '--timeout', '60s']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(
      'deploymentconfig/chat configured (version 2)\ndeployment/chat configured (version 2, config chat v2)\n',
    );
    expect(await stored('deployments/chat')).toMatchObject({ entity_version: 2, config_version: 2, status: 'READY' });

    // Undo: a new version (3) running config v1 again.
    const undo = await cli(['rollout', 'undo', 'chat', '--wait', '--timeout', '60s']);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toBe('deployment/chat rolled back to chat v1 (as in version 1): version 3\n');
    expect(await stored('deployments/chat')).toMatchObject({ entity_version: 3, config_version: 1, status: 'READY' });

    const history = await cli(['rollout', 'history', 'chat', '-o', 'json']);
    expect(history.code).toBe(0);
    expect(
      (JSON.parse(history.stdout) as { entity_version: number; config_version: number }[]).map((v) => [
        v.entity_version,
        v.config_version,
      ]),
    ).toEqual([
      [3, 1],
      [2, 2],
      [1, 1],
    ]);
    const table = await cli(['rollout', 'history', 'deployment/chat']);
    expect(table.stdout.split('\n')[0]).toMatch(/^VERSION +CONFIG +STATUS +SERVING +CREATED +BY$/);
    expect(table.stdout.split('\n')[1]).toMatch(/^3 +chat v1 +READY +yes /);

    // --to-version picks the version whose config runs again.
    const forward = await cli(['rollout', 'undo', 'chat', '--to-version', '2']);
    expect(forward).toMatchObject({
      code: 0,
      stdout: 'deployment/chat rolled back to chat v2 (as in version 2): version 4\n',
    });
    expect(await cli(['rollout', 'status', 'chat', '--timeout', '60s'])).toMatchObject({ code: 0 });
    const none = await cli(['rollout', 'undo', 'chat', '--to-version', '9']);
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toContain('deployment/chat has no version 9');
  });

  it('exits 1 with the reason and the server’s last output when the deployment fails', async () => {
    const docs = await file(
      'broken.yaml',
      pipelineDocuments('broken', { SIM_FAIL_AT_START: 'CUDA error: out of memory' }),
    );
    const run = await cli(['apply', '-f', docs, '--wait', '--timeout', '60s']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('deployment/broken created (version 1, config broken v1)');
    expect(run.stderr).toMatch(/error: deployment\/broken v1 FAILED after \d+s \(start_failed\):\n/);
    expect(run.stderr).toContain('CUDA error: out of memory'); // the instance's own last line
    // `wait` on its own says the same.
    const wait = await cli(['wait', 'deployment/broken', '--timeout', '10s']);
    expect(wait.code).toBe(1);
    expect(wait.stderr).toContain('CUDA error: out of memory');
  });

  it('exits 1 when the wait times out, naming the state it was left in', async () => {
    const docs = await file('slow.yaml', pipelineDocuments('slow', { SIM_NEVER_READY: '1' }));
    const run = await cli(['apply', '-f', docs, '--wait', '--timeout', '2s']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /error: timed out after 2s waiting for deployment\/slow to be READY; it is (CREATED|PENDING)/,
    );
    expect((await stored('deployments/slow')).status).toMatch(/CREATED|PENDING/);
  });

  it('deletes a deployment and waits until it is gone', async () => {
    const docs = await file('gone.yaml', pipelineDocuments('gone', {}));
    expect((await cli(['apply', '-f', docs, '--wait', '--timeout', '60s'])).code).toBe(0);
    const run = await cli(['delete', 'deployment', 'gone', '--wait', '--timeout', '60s']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('deployment/gone deleting\n');
    expect(run.stderr).toMatch(/deployment\/gone (v1 is DELETED|is deleted) after \d+s/);
    const config = await cli(['get', 'dc', 'gone', '-o', 'yaml']);
    expect(parse(config.stdout)).toMatchObject({ name: 'gone', entity_version: 1 });
  });
});
