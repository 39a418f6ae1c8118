/**
 * What a caller may do, the scopes the schema declares per field (docs/auth.md): `admin` everything, `read` every
 * query but no change, `user` a signed-in end user's own data, a directory and public rooms.
 */
export type Role = 'admin' | 'read' | 'user';

/** Who is calling, as the HTTP shell identified them. */
export interface Caller {
  /**
   * Who it is, for the per-caller limits (fairness, subscriptions): an API key's number, a digest of a forwarded
   * credential, a token's subject, a client address. Never a secret itself.
   */
  readonly key: string;
  readonly role: Role;
  /** Forwarded to Openfire instead of the gateway's own credential (passthrough mode). */
  readonly authorization?: string;
  /** The Openfire username of a signed-in end user (role `user`), lower case; absent for other callers. */
  readonly username?: string;
}

/** What end users may do beyond their own data (`AUTH_USER_PASSWORD_CHANGE`, `AUTH_USER_DIRECTORY`). */
export interface UserPolicy {
  /** They may change their Openfire password. */
  readonly passwordChange: boolean;
  /** They may list other users' usernames and names. */
  readonly directory: boolean;
}

export const DEFAULT_USER_POLICY: UserPolicy = { passwordChange: true, directory: true };
