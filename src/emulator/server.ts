import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { realScheduler, type Scheduler } from '../common/scheduler.js';
import { BASE_PATH, type RouteKey } from '../upstream/routes.js';
import { type Activity, type ActivitySettings, checkActivitySettings, startActivity } from './activity.js';
import { CONTROL_PREFIX, control } from './control.js';
import { type FaultSpec, Faults } from './faults.js';
import { handlers } from './handlers/index.js';
import { containerPage } from './http/container.js';
import { LOGIN_PAGE, loginRedirect } from './http/login-page.js';
import { dispatch, type IncomingCall, type WireResponse } from './http/pipeline.js';
import { SnapshotFile } from './persistence.js';
import { Stats } from './stats.js';
import { type Snapshot, Store } from './store.js';

export interface EmulatorOptions {
  /** Data the emulator starts with and returns to on reset. */
  readonly seed: Snapshot;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Serve the `/__emulator/*` control plane. */
  readonly control?: boolean;
  /** JSON snapshot file: loaded at start when it exists, rewritten after changes. */
  readonly dataFile?: string;
  /** System properties set at start over the seed or data file (e.g. a secret given on the command line). */
  readonly properties?: Readonly<Record<string, string>>;
  /** The "JVM default time zone" for XML dates; defaults to this process's zone. */
  readonly timeZone?: string;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
  /**
   * Simulated client traffic (`--activity`): about `rate` logins, presence changes, logouts, room joins and leaves a
   * second, stopped by {@link Emulator.close}.
   */
  readonly activity?: ActivitySettings;
  /** Where simulated clients and `--activity` read the time and set their timers; tests step a clock of their own. */
  readonly clock?: Scheduler;
}

export interface Emulator {
  /** Base URL such as `http://127.0.0.1:9090` (the API is under `/plugins/restapi/v1`). */
  readonly url: string;
  readonly port: number;
  /** The whole state as a deep copy (what `GET /__emulator/state` answers): reading it changes nothing. */
  snapshot(): Snapshot;
  /** Replaces the state and the seed a reset returns to (what `PUT /__emulator/state` does). */
  load(snapshot: Snapshot): void;
  /** Back to the seed; statistics and faults are left alone (`POST /__emulator/reset` clears those too). */
  reset(): void;
  /**
   * Arranges a situation the API cannot create (sessions, occupants, health, …): `change` mutates a deep copy of the
   * state, which then becomes the state. The seed is kept, so a reset undoes the change.
   */
  edit(change: (draft: Snapshot) => void): void;
  readonly stats: Stats;
  readonly faults: Faults;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

class BodyTooLarge extends Error {}

/** Reads the body; past the limit the rest is drained unstored, so the client still gets the 413. */
async function readRawBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw new BodyTooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, method: string, wire: WireResponse, fault: FaultSpec | null): void {
  const bytes = Buffer.from(wire.body, wire.encoding ?? 'utf8');
  if (fault?.body === 'truncated' && bytes.length > 1) {
    res.writeHead(wire.status, { ...wire.headers, 'Content-Length': String(bytes.length) });
    // Destroy only once the partial body is flushed, so the client sees headers and half a body, then a reset.
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
    return;
  }
  const body = fault?.body === 'malformed' ? bytes.subarray(0, Math.floor(bytes.length / 2)) : bytes;
  res.writeHead(wire.status, { ...wire.headers, 'Content-Length': String(body.length) });
  res.end(method === 'HEAD' ? undefined : body);
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (options.activity) checkActivitySettings(options.activity);
  const stats = new Stats();
  const faults = new Faults();
  const file: SnapshotFile | null = options.dataFile
    ? new SnapshotFile(options.dataFile, (): Snapshot => store.snapshot())
    : null;
  // A saved state is where to start, but a reset still returns to the seed.
  const store = new Store(options.seed, () => file?.schedule(), file?.read() ?? options.seed);
  for (const [key, value] of Object.entries(options.properties ?? {})) store.state.properties.set(key, value);
  const ctx = {
    store,
    timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    httpAuthAtLoad: store.property('plugin.restapi.httpAuth') ?? 'basic',
  };
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const clock = options.clock ?? realScheduler;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    // Prefixing keeps a path like `//x` a path; URL parsing also resolves `..` and `%2e` segments as Jetty does.
    const url = new URL(`http://emulator${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? ''}`);
    const headers = req.headers;
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return send(res, method, page(400, url.pathname, headers.accept), null);
    }
    let rawBody: string;
    try {
      rawBody = await readRawBody(req, bodyLimit);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      return send(res, method, page(413, path, headers.accept), null);
    }
    if (options.control && path.startsWith(CONTROL_PREFIX)) {
      const result = control(method, path, rawBody, { store, stats, faults, now: () => clock.now() });
      const body = result.body === undefined ? '' : JSON.stringify(result.body);
      const type: Record<string, string> = body ? { 'Content-Type': 'application/json' } : {};
      return send(res, method, { status: result.status, headers: type, body }, null);
    }
    if (path === '/login.jsp') {
      return send(
        res,
        method,
        { status: 200, headers: { 'Content-Type': 'text/html;charset=utf-8' }, body: LOGIN_PAGE },
        null,
      );
    }
    if (!path.startsWith(`${BASE_PATH}/`) && path !== BASE_PATH) {
      return send(res, method, page(404, path, headers.accept), null);
    }
    const call: IncomingCall = {
      method,
      path,
      query: url.searchParams,
      headers,
      rawBody,
      remoteAddress: req.socket.remoteAddress ?? '',
    };
    const { route, run } = dispatch(call, handlers, ctx);
    stats.count(route);
    const fault = faults.match(route);
    if (fault) {
      // Unreferenced: a long injected latency must not keep a closed emulator's process alive.
      if (fault.latencyMs) await sleep(fault.latencyMs, undefined, { ref: false });
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      const early = faultResponse(fault, route, path, headers.accept);
      if (early) return send(res, method, early, null);
    }
    send(res, method, run(), fault);
  }

  function faultResponse(fault: FaultSpec, route: RouteKey | null, path: string, accept?: string): WireResponse | null {
    if (fault.loginPage) return loginRedirect(path);
    if (fault.status !== undefined) {
      const forced = page(fault.status, path, accept);
      if (fault.retryAfter !== undefined) forced.headers['Retry-After'] = String(fault.retryAfter);
      return forced;
    }
    if (fault.errorRate !== undefined && faults.failsNow(route, fault.errorRate)) {
      return page(500, path, accept, 'Request failed.');
    }
    return null;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent)
        send(res, req.method ?? 'GET', page(500, req.url ?? '/', undefined, 'Request failed.'), null);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  // Started once listening, so a failed start leaves no timer behind.
  const activity: Activity | null = options.activity ? startActivity({ store, clock, ...options.activity }) : null;
  return {
    url: `http://${host}:${port}`,
    port,
    snapshot: () => store.snapshot(),
    load: (snapshot) => store.load(snapshot),
    reset: () => store.reset(),
    edit: (change) => store.edit(change),
    stats,
    faults,
    async close() {
      activity?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      file?.flush();
    },
  };
}

function page(status: number, path: string, accept: string | undefined, message?: string): WireResponse {
  const p = containerPage(status, path, accept, message);
  return { status, headers: { 'Content-Type': p.contentType }, body: p.body };
}
