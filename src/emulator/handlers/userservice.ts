/**
 * The deprecated `userservice` endpoint as the plugin answers it (openfire-rest-api.md §12): its own IP/secret checks,
 * every reply a 200 `text/xml` line written straight to the servlet response, quirks included (no XML escaping, NPE on
 * a missing `type`, silence for unknown types).
 */
import type { RouteKey } from '../../upstream/routes.js';
import { InvalidJidError, legacyUsername } from '../../xmpp/jid.js';
import { UnmappedError } from '../errors.js';
import { allowlist, pluginClientIp } from '../http/auth.js';
import { type EmuRequest, empty, type Handler, type HandlerContext, type Reply } from '../http/types.js';
import { groupList, LegacyFailure, type LegacyParams, type OpResult, operations } from './userservice-ops.js';

/**
 * Jetty appends the writer's charset because the content type is set after the writer was obtained
 * (openfire-rest-api.md §12.5).
 */
const CONTENT_TYPE = 'text/xml;charset=iso-8859-1';
const STRINGPREP_FAILURE = 'gnu.inet.encoding.StringprepException: Contains prohibited code points.';
const ROSTER_TYPES = new Set(['add_roster', 'update_roster', 'delete_roster']);
const SUBSCRIPTIONS = new Set(['-1', '0', '1', '2', '3']);
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** The ISO-8859-1 writer replaces every character it cannot encode with `?` (openfire-rest-api.md §12.5). */
const latin1 = (text: string): string => text.replace(/[\u0100-\u{10ffff}]/gu, '?');

/**
 * `PrintWriter.println` on Linux: the unescaped text and `\n`, committed before CORS filters run
 * (openfire-rest-api.md §3.1, §12.5).
 */
function written(text: string): Reply {
  return {
    kind: 'raw',
    status: 200,
    contentType: CONTENT_TYPE,
    body: `${latin1(text)}\n`,
    encoding: 'latin1',
    cors: false,
  };
}

const error = (code: string): Reply => written(`<error>${code}</error>`);

function result(value: OpResult): Reply {
  if (value === null) return written('<result>ok</result>');
  return written(`<result>${value.map((name) => `<groupname>${name}</groupname>`).join('')}</result>`);
}

/** Servlet `getParameter`: query string first, then a POST form body; the first value wins, `+` is a space. */
function parameters(req: EmuRequest): LegacyParams {
  const contentType = req.headers['content-type'] ?? '';
  if (req.method !== 'POST' || !FORM.test(contentType)) return req.query;
  const merged = new URLSearchParams(req.query);
  for (const [name, value] of new URLSearchParams(req.rawBody)) merged.append(name, value);
  return merged;
}

/**
 * openfire-rest-api.md §12.3; a nodeprep failure is the gnu library's checked exception, answered through the generic
 * branch.
 */
function normalise(username: string): string {
  try {
    return legacyUsername(username);
  } catch (failure) {
    if (failure instanceof InvalidJidError) throw new LegacyFailure(STRINGPREP_FAILURE);
    throw failure;
  }
}

/**
 * The checks that run before the controller's try block (openfire-rest-api.md §12.2 steps 2–7); `null` when all pass.
 */
function precheck(req: EmuRequest, ctx: HandlerContext, params: LegacyParams): Reply | null {
  const { store } = ctx;
  const allowed = allowlist(store);
  if (allowed.length > 0 && !allowed.includes(pluginClientIp(req.headers, req.remoteAddress))) {
    return error('RequestNotAuthorised');
  }
  // Unreachable behind the standard AuthFilter, which answers 403 first (openfire-rest-api.md §12.1); kept for the
  // check order.
  if (store.property('plugin.restapi.enabled') !== 'true') return error('UserServiceDisabled');
  // A deleted secret property leaves the in-memory secret "" (openfire-rest-api.md §2), so `secret=` then passes.
  const secret = params.get('secret');
  if (secret === null || secret !== (store.property('plugin.restapi.secret') ?? '')) {
    return error('RequestNotAuthorised');
  }
  const type = params.get('type');
  if (params.get('username') === null && type !== 'grouplist') return error('IllegalArgumentException');
  if (type === null) throw new UnmappedError('NullPointerException: type');
  const subscription = params.get('subscription');
  const badSubscription = subscription !== null && !SUBSCRIPTIONS.has(subscription);
  if (ROSTER_TYPES.has(type) && (params.get('item_jid') === null || badSubscription)) {
    return error('IllegalArgumentException');
  }
  return null;
}

/** Runs `type`; `undefined` for an unknown type, which writes nothing (openfire-rest-api.md §12.2 step 8). */
function run(ctx: HandlerContext, type: string, params: LegacyParams): OpResult | undefined {
  if (type === 'grouplist') return groupList(ctx.store);
  const username = normalise(params.get('username') ?? '');
  const operation = operations.get(type);
  if (!operation) return undefined;
  return operation(ctx.store, username, params);
}

const userservice: Handler = (req, ctx) => {
  const params = parameters(req);
  const early = precheck(req, ctx, params);
  if (early) return early;
  const type = params.get('type');
  if (type === null) throw new Error('precheck lets no request without a type through');
  let outcome: OpResult | undefined;
  try {
    outcome = run(ctx, type, params);
  } catch (failure) {
    if (failure instanceof LegacyFailure) return error(failure.reply);
    throw failure;
  }
  // Nothing committed: GET answers an empty 200, the void POST method 204, both via Jersey's filters [ambiguous].
  if (outcome === undefined) return empty(req.method === 'POST' ? 204 : 200);
  return result(outcome);
};

export const userServiceHandlers = {
  'GET /userservice': userservice,
  'POST /userservice': userservice,
} satisfies Partial<Record<RouteKey, Handler>>;
