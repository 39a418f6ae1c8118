import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A real `redis-server` (Debian's package) on a free loopback port, without persistence, for the tests of state
 * shared by replicas. `stop()` and `start()` again on the same port play a Redis outage and its return.
 */
export interface RedisServer {
  readonly port: number;
  /** `redis://` URL with the password when one was set. */
  readonly url: string;
  /** The running server's process id (the bench samples its CPU time); `null` while stopped. */
  pid(): number | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface RedisServerOptions {
  readonly password?: string;
  /** Serve TLS only (`rediss://`), with this certificate and key (PEM files); clients need not show one. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  if (options.tls) {
    const { cert, key } = options.tls;
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', cert, '--tls-key-file', key);
    args.push('--tls-ca-cert-file', cert, '--tls-auth-clients', 'no');
  } else {
    args.push('--port', String(port));
  }
  if (options.password) args.push('--requirepass', options.password);
  const scheme = options.tls ? 'rediss' : 'redis';
  const server: RedisServer = {
    port,
    url: `${scheme}://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    pid: () => child?.pid ?? null,
    async start() {
      const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
      child = started;
      await new Promise<void>((resolve, reject) => {
        let output = '';
        started.once('error', reject);
        started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
        started.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Ready to accept connections')) resolve();
        });
      });
    },
    async stop() {
      const running = child;
      child = null;
      if (running === null || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
  await server.start();
  return server;
}
