/** A lone surrogate: a UTF-16 half that no other half completes, so the text has no UTF-8 form at all. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether a string is well-formed Unicode. One that is not cannot be percent-encoded into a path (encodeURIComponent
 * throws) nor stored by Openfire as the caller meant, so every input from the network is checked before any call.
 */
export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);

/** The first string in a JSON-like value (objects, arrays, strings) that is not well-formed, with its path. */
export function firstIllFormed(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : path || '(the value)';
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstIllFormed(item, `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = isWellFormed(key) ? firstIllFormed(item, path ? `${path}.${key}` : key) : `${path}.(a key)`;
      if (found !== null) return found;
    }
  }
  return null;
}
