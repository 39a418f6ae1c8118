import { isWellFormed } from '../common/unicode.js';
import { representable } from './reply.js';

/**
 * Request parameters with servlet `getParameter` semantics: the query string first, then a POST form body; the
 * first value of a repeated name wins; `+` is a space; percent-escapes are UTF-8 (invalid sequences become U+FFFD);
 * unencoded `@` and `,` are taken as they are, since many old clients never encode.
 */
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** A legacy form is a few short fields; anything larger is refused before it is read whole. */
export const MAX_FORM_BYTES = 64 * 1024;

/** The parameters, or `null` when the form body is larger than {@link MAX_FORM_BYTES}. */
export async function readParameters(request: Request): Promise<URLSearchParams | null> {
  const params = new URLSearchParams(new URL(request.url).search);
  if (request.method !== 'POST' || !FORM.test(request.headers.get('content-type') ?? '')) return params;
  const body = await readLimited(request, MAX_FORM_BYTES);
  if (body === null) return null;
  for (const [name, value] of new URLSearchParams(body)) params.append(name, value);
  return params;
}

async function readLimited(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return '';
  if (Number(request.headers.get('content-length') ?? 0) > limit) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      // The rest is never read: cancelling tells the sender's side to stop.
      await reader.cancel();
      return null;
    }
    chunks.push(read.value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Whether any value holds a character XML cannot carry, or (the password, which never appears in a reply) is not
 * well-formed Unicode: such a value is refused rather than stored in Openfire, where it would break every XML answer
 * naming it or be another value than the one sent. The secret has been checked already.
 */
export function hasUnrepresentable(params: URLSearchParams): boolean {
  for (const [name, value] of params) {
    if (name === 'secret') continue;
    if (name === 'password' ? !isWellFormed(value) : !representable(value)) return true;
  }
  return false;
}
