import type { Server, ServerResponse } from 'node:http';

/**
 * Graceful stop of an HTTP server: no new connections, requests in flight finish (their responses say
 * `Connection: close`, and kept-alive connections are closed as soon as they fall idle), and whatever still runs
 * after the timeout is cut. Call it right after creating the server, so it sees every request.
 */
export interface Drain {
  /** Resolves with the number of requests cut at the timeout (0 when all finished in time). */
  drain(timeoutMs: number): Promise<number>;
}

export function drainable(server: Server): Drain {
  const active = new Set<ServerResponse>();
  let draining = false;
  const closeWhenIdle = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    active.add(res);
    if (draining) closeWhenIdle(res);
    res.once('close', () => {
      active.delete(res);
      if (draining) server.closeIdleConnections();
    });
  });
  return {
    drain(timeoutMs) {
      draining = true;
      for (const res of active) closeWhenIdle(res);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const cut = active.size;
          server.closeAllConnections();
          resolve(cut);
        }, timeoutMs);
        server.close(() => {
          clearTimeout(timer);
          resolve(0);
        });
        server.closeIdleConnections();
      });
    },
  };
}
