import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * `npm run example:self-service`: serves the example page from its own origin (not the gateway's), as a frontend
 * would be. `EXAMPLE_PORT` (default 5173, 0 for any free port), `GATEWAY_URL` (default the gateway's default
 * address). The gateway must list this origin in `CORS_ORIGINS`; the banner says which.
 */
const port = Number(process.env.EXAMPLE_PORT || 5173);
const gatewayUrl = process.env.GATEWAY_URL || 'http://127.0.0.1:4000/graphql';

const FILES: Record<string, readonly [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

const HEADERS = {
  // The page's own files only; calls may go to whichever gateway the page is told (`?gateway=`).
  'content-security-policy': "default-src 'self'; connect-src 'self' http: https:; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://example').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...HEADERS, allow: 'GET, HEAD' }).end();
    return;
  }
  if (path === '/config.json') {
    res.writeHead(200, { ...HEADERS, 'content-type': 'application/json' }).end(JSON.stringify({ gatewayUrl }));
    return;
  }
  const entry = FILES[path];
  if (!entry) {
    res.writeHead(404, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end('Not Found\n');
    return;
  }
  const body = await readFile(new URL(entry[0], import.meta.url));
  res.writeHead(200, { ...HEADERS, 'content-type': entry[1] }).end(req.method === 'HEAD' ? undefined : body);
});

server.once('error', (error: NodeJS.ErrnoException) => {
  process.stderr.write(
    `example: cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message} (set EXAMPLE_PORT)\n`,
  );
  process.exit(2);
});
server.listen(port, '127.0.0.1', () => {
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.stdout.write(
    `self-service example: ${origin}/\n` + `  gateway: ${gatewayUrl} (start it with CORS_ORIGINS=${origin})\n`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
