/** What a caller may do: `admin` everything, `read` queries only. */
export type Role = 'admin' | 'read';

/** Who is calling, as the HTTP shell identified them. */
export interface Caller {
  readonly role: Role;
  /** Forwarded to Openfire instead of the gateway's own credential (passthrough mode). */
  readonly authorization?: string;
}
