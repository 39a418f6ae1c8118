import type { IncomingHttpHeaders } from 'node:http';
import type { EntityName, RouteKey } from '../../upstream/routes.js';
import type { Store } from '../store.js';
import type { Format } from './negotiate.js';

/** A request after routing, negotiation and entity reading, as a resource method sees it. */
export interface EmuRequest {
  readonly method: string;
  readonly route: RouteKey;
  /** Decoded path parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters; `get` returns the first value, as `@QueryParam` does. */
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The request entity decoded from XML or JSON, or `null` (empty JSON body, no body at all). */
  readonly body: Record<string, unknown> | null;
  /** The raw body text (vCards and the legacy form body are read from it). */
  readonly rawBody: string;
  readonly remoteAddress: string;
  /** The negotiated success format. */
  readonly format: Format;
}

export interface HandlerContext {
  readonly store: Store;
  /** The JVM default time zone used for XML dates. */
  readonly timeZone: string;
  /** `plugin.restapi.httpAuth` when the plugin loaded; fixes the OpenAPI security scheme (openfire-rest-api.md §13). */
  readonly httpAuthAtLoad: string;
}

export type Reply =
  | { readonly kind: 'empty'; readonly status: number }
  | {
      readonly kind: 'entity';
      readonly status: number;
      readonly entity: Exclude<EntityName, 'affiliations'> | `affiliations:${string}`;
      readonly value: Readonly<Record<string, unknown>>;
    }
  | {
      readonly kind: 'raw';
      readonly status: number;
      readonly contentType?: string;
      readonly body: string;
      /** How the body is encoded on the wire (default UTF-8). */
      readonly encoding?: 'latin1';
      /** Legacy replies are committed before Jersey's response filters run, so they carry no CORS headers. */
      readonly cors?: boolean;
    };

export type Handler = (req: EmuRequest, ctx: HandlerContext) => Reply;

export const empty = (status: number): Reply => ({ kind: 'empty', status });

export const entity = (
  name: Exclude<EntityName, 'affiliations'> | `affiliations:${string}`,
  value: Readonly<Record<string, unknown>>,
  status = 200,
): Reply => ({ kind: 'entity', status, entity: name, value });
