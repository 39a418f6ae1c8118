import type { UndoLog } from '../request/undo.js';
import type { CallArgs, ResultOf } from '../upstream/endpoints.js';
import type { RouteKey } from '../upstream/routes.js';
import type { LegacyParams } from './arguments.js';

/** One legacy request being carried out: its normalised user, its parameters, and the way to Openfire. */
export interface Operation {
  /** Normalised (openfire-rest-api.md §12.3); `''` when the parameter normalises to nothing. */
  readonly username: string;
  readonly params: LegacyParams;
  /** Where each write registers its compensation. */
  readonly undo: UndoLog;
  call<K extends RouteKey>(route: K, args: CallArgs<K>): Promise<ResultOf<K>>;
  /** Openfire's XMPP domain: configured, or read from `xmpp.domain` when first needed. */
  domain(): Promise<string>;
}

/** `ok`, or the names of a `<result>` list. */
export type Outcome = 'ok' | readonly string[];

export interface Command {
  /** Every type but `grouplist` names a user (openfire-rest-api.md §12.2 step 5). */
  readonly needsUser: boolean;
  run(op: Operation): Promise<Outcome>;
}
