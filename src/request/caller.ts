/** What a caller may do: `admin` everything, `read` queries only. */
export type Role = 'admin' | 'read';

/** Who is calling, as the HTTP shell identified them. */
export interface Caller {
  /**
   * Who it is, for the per-caller limits (fairness, subscriptions): an API key's number, a digest of a forwarded
   * credential, a client address. Never a secret itself.
   */
  readonly key: string;
  readonly role: Role;
  /** Forwarded to Openfire instead of the gateway's own credential (passthrough mode). */
  readonly authorization?: string;
}
