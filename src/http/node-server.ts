import { createServer, type IncomingMessage, type RequestListener, ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Fetch responses carry no reason phrase (`statusText` is ""), and the server adapter passes that empty text to
 * `writeHead`, so the status line would read `HTTP/1.1 200 `. Openfire sends the standard phrase and some legacy
 * clients print or match it, so an empty one is replaced here, once for every route.
 */
class StandardReasonResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  override writeHead(statusCode: number, ...rest: unknown[]): this {
    // Node itself fills in the phrase when none is given; only an explicit "" needs replacing.
    if (rest[0] === '') rest[0] = STATUS_CODES[statusCode] ?? '';
    return (super.writeHead as (...args: unknown[]) => this)(statusCode, ...rest);
  }
}

/** The gateway's HTTP/1.1 server around the app's request listener. */
export function createNodeServer(listener: RequestListener) {
  return createServer({ ServerResponse: StandardReasonResponse }, listener);
}

/** Why the gateway could not listen, as one line naming the setting to change. */
export class ListenError extends Error {}

/** Listens on `host:port`; the usual failures become a `ListenError` that names `PORT` or `HOST`. */
export async function listen(
  server: ReturnType<typeof createNodeServer>,
  port: number,
  host: string,
): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => reject(listenError(error, port, host));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ListenError(
        `port ${port} on ${host} is already in use: set PORT (or --port) to a free port, or 0 for any free port`,
      );
    case 'EACCES':
      return new ListenError(`port ${port} needs privileges this process lacks: set PORT (or --port) above 1023`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ListenError(`HOST (or --host) "${host}" is not an address of this machine`);
    default:
      return error;
  }
}
