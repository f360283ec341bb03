import { dropTestDatabase } from '../dist/libs/testing/src/test-database.js';

/** Sockets the run left open (its tests run in this process), by remote address: a leak shows up here. */
function reportOpenSockets() {
  const open = new Map();
  for (const handle of process._getActiveHandles()) {
    if (!handle || typeof handle.remotePort !== 'number' || handle.destroyed) continue;
    const key = `${handle.remoteAddress}:${handle.remotePort}`;
    open.set(key, (open.get(key) ?? 0) + 1);
  }
  if (open.size > 0) {
    const list = [...open].map(([address, n]) => `${n} to ${address}`).join(', ');
    console.warn(`[teardown] sockets still open after the run: ${list}`);
  }
}

export default async function globalTeardown() {
  reportOpenSockets();
  const url = process.env.TEST_DATABASE_URL;
  if (url && process.env.KEEP_TEST_DATABASE !== '1') await dropTestDatabase(url);
}
