import { createServer } from 'node:net';

/** A port the OS considers free right now: bind to port 0, read it, let go. */
export function findFreePort(host: string): Promise<number> {
  return listenOnce(host, 0).then((port) => {
    if (port === null) throw new Error(`Cannot bind a free port on ${host}`);
    return port;
  });
}

export async function isPortFree(host: string, port: number): Promise<boolean> {
  return (await listenOnce(host, port)) !== null;
}

function listenOnce(host: string, port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(null));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Ports handed to instances. An instance keeps its port across restarts while
 * the port stays free (like a pod keeping its IP), and a port held by an
 * instance waiting in back-off is not handed to another one even though
 * nothing listens on it at that moment.
 */
export class PortBook {
  private readonly held = new Map<number, string>();

  constructor(private readonly host: string) {}

  hold(port: number, instanceId: string): void {
    this.held.set(port, instanceId);
  }

  release(instanceId: string): void {
    for (const [port, owner] of this.held) if (owner === instanceId) this.held.delete(port);
  }

  async allocate(instanceId: string, preferred: number | null): Promise<number> {
    if (preferred !== null && this.held.get(preferred) === instanceId && (await isPortFree(this.host, preferred))) {
      return preferred;
    }
    this.release(instanceId);
    for (let attempt = 0; attempt < 20; attempt++) {
      const port = await findFreePort(this.host);
      if (!this.held.has(port)) {
        this.held.set(port, instanceId);
        return port;
      }
    }
    throw new Error(`Cannot find a free port on ${this.host}`);
  }
}
