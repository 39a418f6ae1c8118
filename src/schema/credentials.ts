import type { Context } from './context.js';

/**
 * The one rule for credentials in what the gateway shows: a value whose name says it is a credential (a password, a
 * secret, a token, a key…), or a text that names such a property (an audit entry `set server property
 * ldap.adminPassword` with details `ldap.adminPassword = …`), is shown to administrators only. Read-only callers must
 * not obtain what would give them more rights than they have (`plugin.restapi.secret` is Openfire's admin secret).
 * Every field that can carry such a value resolves through `forCaller` below.
 */
const CREDENTIAL_NAME = /passw|secret|token|credential|private[._-]?key|api[._-]?key|(?:^|[._-])key$|salt|signature/i;

export const isCredentialName = (name: string): boolean => CREDENTIAL_NAME.test(name);

/** Whether a free text names a credential-like property (one word of it, split on spaces and punctuation). */
export const namesCredential = (text: string): boolean => text.split(/[\s=:,;()"'<>[\]{}]+/).some(isCredentialName);

/**
 * The value as the caller may see it: unchanged for administrators; `null` for a read-only caller when `name` (a
 * property key) is credential-like or the value is a text that names one.
 */
export function forCaller(ctx: Context, value: string | null, name?: string): string | null {
  if (value === null || ctx.caller.role === 'admin') return value;
  if (name !== undefined && isCredentialName(name)) return null;
  return namesCredential(value) ? null : value;
}
