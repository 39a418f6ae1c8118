import { addressList } from '../common/address-list.js';
import { secretMatcher } from '../common/secrets.js';
import type { DomainSource } from '../request/domain.js';
import type { FairShare } from '../request/fair-share.js';
import { atomically, IncompleteRollback, UndoLog } from '../request/undo.js';
import type { CallOptions, UpstreamClient } from '../upstream/client.js';
import { normaliseUsername, subscription } from './arguments.js';
import { commands } from './commands.js';
import { LegacyError, type LegacyErrorName, legacyErrorOf } from './errors.js';
import { keyedLock, type Lease, type SharedLeases } from './locks.js';
import type { Command, Operation, Outcome } from './operation.js';
import { hasUnrepresentable, readParameters } from './params.js';
import { errorReply, listReply, okReply } from './reply.js';
import { type FailureThrottle, failureThrottle, throttleKey } from './throttle.js';

export interface LegacyOptions {
  /** `USERSERVICE_SECRET`; `null` answers every request `UserServiceDisabled`. */
  readonly secret: string | null;
  /** `USERSERVICE_ALLOWED_IPS`: addresses and CIDR ranges; empty allows every address. */
  readonly allowedIps?: readonly string[];
  /** Wrong secrets an address may send per `failureWindowMs` before it is refused (default 10 per minute). */
  readonly maxFailures?: number;
  readonly failureWindowMs?: number;
  readonly now?: () => number;
  /**
   * Where wrong secrets are counted: this process by default; Redis with several replicas. If it cannot answer, the
   * request is refused with `ServiceUnavailable` (the limit must hold, so it fails closed).
   */
  readonly throttle?: FailureThrottle;
  /**
   * Leases shared by replicas (`REDIS_URL`) on the users and groups an operation changes, checked before each write.
   * Without them operations are serialised within this process only. If a lease cannot be taken or checked, the
   * operation stops with `ServiceUnavailable` rather than run unlocked.
   */
  readonly leases?: SharedLeases;
  /** Called once per request, e.g. to log or count; carries no parameter values. */
  readonly onOutcome?: (outcome: LegacyOutcome) => void;
}

export interface LegacyOutcome {
  /** The `type` asked for when it is one of the ten, else `null`. */
  readonly type: string | null;
  /** `ok`, `list`, or the error name sent. */
  readonly reply: 'ok' | 'list' | LegacyErrorName;
  readonly durationMs: number;
  /** `incomplete` when a failed operation could not be fully undone: Openfire may hold part of it. */
  readonly rollback: 'none' | 'complete' | 'incomplete';
  /** What went wrong, for the operator (upstream errors name the route, never a credential or parameter). */
  readonly error?: unknown;
}

/** What one request's caller wants to hear about it, beside `LegacyOptions.onOutcome` (e.g. its log line). */
export interface LegacyRequestHooks {
  readonly onCall?: CallOptions['onCall'];
  readonly onOutcome?: (outcome: LegacyOutcome) => void;
}

export interface LegacyDeps {
  readonly client: UpstreamClient;
  /** The process's XMPP domain (configured, or read once and kept), for the commands that need it. */
  readonly domains: DomainSource;
  /** The upstream pool shared fairly between callers; a legacy client is a caller by its address. */
  readonly share: FairShare;
  readonly options: LegacyOptions;
}

/** `USERSERVICE_MAX_FAILURES` when not configured: wrong secrets per client and minute. */
export const DEFAULT_MAX_FAILURES = 10;

/** The window wrong secrets are counted in. */
export const DEFAULT_FAILURE_WINDOW_MS = 60_000;

/** A request that passed every check before work: its parameters and the command its `type` names. */
interface Admitted {
  readonly params: URLSearchParams;
  readonly type: string;
  readonly command: Command;
}

/** Checked before anything runs, `delete_roster` included (openfire-rest-api.md §12.2 step 7). */
const ROSTER_TYPES = new Set(['add_roster', 'update_roster', 'delete_roster']);

/**
 * The legacy userservice: same URLs, parameters and replies as the plugin, every reply a 200 `text/xml` line (even
 * when Openfire is down), with the flaws of openfire-rest-api.md §12.6 fixed. `client` is the caller's address, as the
 * HTTP shell found it (through `TRUST_PROXY` proxies only).
 */
export function createLegacyEndpoint(
  deps: LegacyDeps,
): (request: Request, client: string, hooks?: LegacyRequestHooks) => Promise<Response> {
  const { client, options } = deps;
  const allowed = addressList(options.allowedIps ?? []);
  const isSecret = options.secret === null ? null : secretMatcher(options.secret);
  const throttle =
    options.throttle ??
    failureThrottle({
      maxFailures: options.maxFailures ?? DEFAULT_MAX_FAILURES,
      windowMs: options.failureWindowMs ?? DEFAULT_FAILURE_WINDOW_MS,
      now: options.now,
    });
  /**
   * Shared state that cannot answer (the throttle's counts, a lease) refuses the request: guessing must not get
   * through while the count is unknown, nor a write run without its lock.
   */
  const orUnavailable = async <T>(step: () => T | Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch {
      throw new LegacyError('ServiceUnavailable');
    }
  };
  const lock = keyedLock();

  /**
   * The checks before any work (openfire-rest-api.md §12.2 steps 2–7), in the original's order: the parameters, or a
   * refusal thrown.
   */
  async function admit(request: Request, address: string): Promise<Admitted> {
    const refuse = (reply: LegacyErrorName): never => {
      throw new LegacyError(reply);
    };
    if (allowed.size > 0 && !allowed.has(address)) refuse('RequestNotAuthorised');
    if (isSecret === null) return refuse('UserServiceDisabled');
    const params = (await readParameters(request)) ?? refuse('IllegalArgumentException');
    // A throttled client is refused even with the right secret, so guessing on learns nothing.
    const client = throttleKey(address);
    if (await orUnavailable(() => throttle.blocked(client))) refuse('RequestNotAuthorised');
    const secret = params.get('secret');
    if (secret === null || !isSecret(secret)) {
      await orUnavailable(() => throttle.failed(client));
      refuse('RequestNotAuthorised');
    }
    if (hasUnrepresentable(params)) refuse('IllegalArgumentException');
    const type = params.get('type') ?? '';
    const command = commands.get(type);
    // Missing or unknown type: the original crashed (500) or answered nothing (openfire-rest-api.md §12.6 item 5).
    if (command === undefined || (params.get('username') === null && type !== 'grouplist'))
      return refuse('IllegalArgumentException');
    if (ROSTER_TYPES.has(type)) {
      if (params.get('item_jid') === null) refuse('IllegalArgumentException');
      subscription(params.get('subscription'));
    }
    return { params, type, command };
  }

  async function perform(
    { params, command }: Admitted,
    undo: UndoLog,
    caller: string,
    requestId: string | undefined,
    onCall: CallOptions['onCall'],
  ): Promise<Outcome> {
    let username = '';
    if (command.needsUser) {
      const given = params.get('username');
      if (given === null) throw new Error('admit() lets a command that names a user through only with a username');
      username = normaliseUsername(given);
    }
    let lease: Lease | null = null;
    const send: Operation['call'] = async (route, args) => {
      // Another replica may have taken over a lease this one lost (a long pause): no write without it.
      const held = lease;
      if (held !== null && !route.startsWith('GET ')) await orUnavailable(() => held.check());
      const giveBack = await deps.share.acquire(caller);
      try {
        // An undo goes through even when the breaker has just opened: all-or-nothing needs its calls.
        return await client.call(route, args, { requestId, bypassBreaker: undo.rollingBack, onCall });
      } finally {
        giveBack();
      }
    };
    const groups = (params.get('groups') ?? '').split(',').filter((name) => name !== '');
    const keys = command.needsUser ? [`user:${username}`, ...groups.map((name) => `group:${name}`)] : [];
    // The old client's request signal is not passed on: once started, an operation finishes or is undone.
    return lock.run(keys, async () => {
      if (options.leases && keys.length > 0) {
        const leases = options.leases;
        lease = await orUnavailable(() => leases.acquire(keys));
      }
      try {
        return await operate();
      } finally {
        // Not waited for: this replica's next acquisition follows it on the same connection, and another replica
        // finds the keys free at the latest when the lease ends.
        void lease?.release().catch(() => undefined);
      }
    });

    function operate(): Promise<Outcome> {
      return atomically(undo, () => {
        const op: Operation = {
          username,
          params,
          undo,
          call: send,
          // A failed read is not kept (domain.ts), so the undo's next try reads again.
          domain: () =>
            deps.domains.get(async () => {
              const property = await send('GET /system/properties/{propertyKey}', {
                path: { propertyKey: 'xmpp.domain' },
              });
              return property.value ?? '';
            }),
        };
        return command.run(op);
      });
    }
  }

  return async (request, address, hooks = {}) => {
    const started = performance.now();
    const undo = new UndoLog();
    let type: string | null = null;
    let outcome: Omit<LegacyOutcome, 'durationMs' | 'type'>;
    let response: Response;
    try {
      const admitted = await admit(request, address);
      type = admitted.type;
      const requestId = request.headers.get('x-request-id') ?? undefined;
      const result = await perform(admitted, undo, `legacy:${throttleKey(address)}`, requestId, hooks.onCall);
      response = result === 'ok' ? okReply() : listReply(result);
      outcome = { reply: result === 'ok' ? 'ok' : 'list', rollback: 'none' };
    } catch (error) {
      const reply = legacyErrorOf(error);
      response = errorReply(reply);
      const rollback = error instanceof IncompleteRollback ? 'incomplete' : undo.undone > 0 ? 'complete' : 'none';
      outcome = { reply, rollback, ...(!(error instanceof LegacyError) && { error }) };
    }
    const reported: LegacyOutcome = { ...outcome, type, durationMs: performance.now() - started };
    options.onOutcome?.(reported);
    hooks.onOutcome?.(reported);
    return response;
  };
}
