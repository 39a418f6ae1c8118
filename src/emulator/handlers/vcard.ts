import type { RouteKey } from '../../upstream/routes.js';
import { isWellFormedXml } from '../entities/xml.js';
import { badRequest, conflict } from '../errors.js';
import { type EmuRequest, empty, type Handler } from '../http/types.js';
import type { Store } from '../store.js';
import { localUsername } from './user-support.js';

/**
 * The raw path value (no lowercasing, no existence check); `user@<local domain>` is reduced to its node
 * (openfire-rest-api.md §7.5).
 */
const vcardOwner = (req: EmuRequest, store: Store): string =>
  localUsername(store, req.params.username ?? '', 'UserNotFoundException');

// Prolog, comments, processing instructions and doctype before the root element, which dom4j's asXML() leaves out.
const LEADING_MISC = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*/;
const VCARD_ROOT = /^<(?:[\w.-]+:)?vCard[\s/>]/;

/** Drops comments, processing instructions and whitespace after the root element (no regex: no backtracking). */
function trimTrailingMisc(text: string): string {
  let out = text.trimEnd();
  while (out.endsWith('-->') || out.endsWith('?>')) {
    out = out.slice(0, out.endsWith('-->') ? out.lastIndexOf('<!--') : out.lastIndexOf('<?')).trimEnd();
  }
  return out;
}

/** The root element as text, or null when the body is not a well-formed document whose root is a `vCard`. */
function vcardElement(body: string): string | null {
  if (!isWellFormedXml(body)) return null;
  const element = trimTrailingMisc(body.replace(LEADING_MISC, ''));
  return VCARD_ROOT.test(element) ? element : null;
}

/**
 * Stored vCard XML without prolog, `application/xml`; 204 without a body when there is none
 * (openfire-rest-api.md §5.5).
 */
const getVcard: Handler = (req, ctx) => {
  const vcard = ctx.store.state.vcards.get(vcardOwner(req, ctx.store));
  return vcard === undefined ? empty(204) : { kind: 'raw', status: 200, contentType: 'application/xml', body: vcard };
};

/** A read-only vCard provider refuses changes with a 409 (openfire-rest-api.md §7.5). */
function checkWritable(req: EmuRequest, store: Store): void {
  if (store.state.vcardReadOnly) {
    const message = 'Cannot update vCards in the system, as the vCard system is configured to be read-only.';
    throw conflict('IllegalArgumentException', message, req.params.username ?? '');
  }
}

// openfire-rest-api.md §7.5 does not say how a well-formed non-vCard root fails; it gets the same 400 as unparsable
// data.
const putVcard: Handler = (req, ctx) => {
  const owner = vcardOwner(req, ctx.store);
  checkWritable(req, ctx.store);
  const element = vcardElement(req.rawBody);
  if (element === null) {
    const resource = req.params.username ?? '';
    throw badRequest('IllegalArgumentException', 'Could not parse the provided data as a vCard', resource);
  }
  ctx.store.state.vcards.set(owner, element);
  return empty(200);
};

/** 200 whether or not a vCard existed (openfire-rest-api.md §7.5). */
const deleteVcard: Handler = (req, ctx) => {
  checkWritable(req, ctx.store);
  ctx.store.state.vcards.delete(vcardOwner(req, ctx.store));
  return empty(200);
};

export const vcardHandlers = {
  'GET /users/{username}/vcard': getVcard,
  'PUT /users/{username}/vcard': putVcard,
  'DELETE /users/{username}/vcard': deleteVcard,
} satisfies Partial<Record<RouteKey, Handler>>;
