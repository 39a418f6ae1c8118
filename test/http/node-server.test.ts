import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeServer, ListenError, listen } from '../../src/http/node-server.js';
import { offlineApp } from '../helpers/gateway.js';

/** The raw status line of one HTTP/1.1 request, read off the socket. */
function statusLine(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
    });
    socket.once('end', () => resolve(received.slice(0, received.indexOf('\r\n'))));
    socket.once('error', reject);
  });
}

const get = (path: string, headers = ''): string =>
  `GET ${path} HTTP/1.1\r\nHost: gateway\r\n${headers}Connection: close\r\n\r\n`;

describe('the gateway HTTP server', () => {
  const server = createNodeServer(offlineApp({ legacy: { secret: 'legacy-secret' } }));
  let port = 0;
  beforeAll(async () => {
    ({ port } = await listen(server, 0, '127.0.0.1'));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['/healthz', '', 'HTTP/1.1 200 OK'],
    ['/nothing', '', 'HTTP/1.1 404 Not Found'],
    [
      '/graphql?query=%7B__typename%7D',
      'Accept: application/json\r\nx-graphql-yoga-csrf: 1\r\n',
      'HTTP/1.1 401 Unauthorized',
    ],
    ['/userservice?type=grouplist&secret=wrong', '', 'HTTP/1.1 200 OK'],
    ['/plugins/userService/userservice?type=add', '', 'HTTP/1.1 200 OK'],
  ])('answers GET %s with the standard reason phrase', async (path, headers, expected) => {
    expect(await statusLine(port, get(path, headers))).toBe(expected);
  });

  it('answers a legacy HEAD with 405 Method Not Allowed', async () => {
    const head = 'HEAD /userservice HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n';
    expect(await statusLine(port, head)).toBe('HTTP/1.1 405 Method Not Allowed');
  });
});

describe('listen', () => {
  it('names PORT when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    const server = createNodeServer(offlineApp());
    try {
      const refused = listen(server, port, '127.0.0.1');
      await expect(refused).rejects.toThrow(ListenError);
      await expect(refused).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use: set PORT (or --port)`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('names HOST when the address is not this machine’s', async () => {
    // 192.0.2.0/24 is reserved for documentation (RFC 5737): never an address of this machine.
    await expect(listen(createNodeServer(offlineApp()), 0, '192.0.2.1')).rejects.toThrow(
      'HOST (or --host) "192.0.2.1" is not an address of this machine',
    );
  });
});
