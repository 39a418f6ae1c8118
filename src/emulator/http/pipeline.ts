import type { IncomingHttpHeaders } from 'node:http';
import { BASE_PATH, type RouteKey, type RouteSpec, routes } from '../../upstream/routes.js';
import { affiliationLists, catalog, errorEntity } from '../entities/catalog.js';
import { JsonReadError, readJson, writeJson } from '../entities/json.js';
import type { EntitySchema } from '../entities/schema.js';
import { readXml, writeXml, XmlReadError } from '../entities/xml.js';
import { ContainerError, ServiceError } from '../errors.js';
import { authenticate } from './auth.js';
import { containerPage } from './container.js';
import { bodyFormat, errorMedia, type Format, successFormat } from './negotiate.js';
import { matchRoute } from './router.js';
import type { EmuRequest, Handler, HandlerContext, Reply } from './types.js';

/** What goes on the wire; the server adds faults and writes it. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  encoding?: 'latin1';
}

export interface IncomingCall {
  readonly method: string;
  /** Decoded path, including the base path. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly remoteAddress: string;
}

const CORS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'origin, content-type, accept, authorization',
  'Access-Control-Allow-Credentials': 'true',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS, HEAD',
};

function container(call: IncomingCall, status: number, message?: string): WireResponse {
  const page = containerPage(status, call.path, call.headers.accept, message);
  return { status, headers: { ...CORS, 'Content-Type': page.contentType }, body: page.body };
}

function schemaOf(name: string): EntitySchema {
  const [base, affiliation] = name.split(':');
  const schema = base === 'affiliations' ? affiliationLists[affiliation ?? ''] : catalog[base as keyof typeof catalog];
  if (!schema) throw new Error(`no entity schema named ${name}`);
  return schema;
}

function serialise(schema: EntitySchema, value: Readonly<Record<string, unknown>>, format: Format, timeZone: string) {
  return format === 'json'
    ? { contentType: 'application/json', body: writeJson(schema, value) }
    : { contentType: 'application/xml', body: writeXml(schema, value, timeZone) };
}

function errorResponse(call: IncomingCall, error: ServiceError, timeZone: string): WireResponse {
  const media = errorMedia(call.headers.accept, call.headers['content-type']);
  if (!media) return container(call, 500, 'Request failed.');
  const value = { resource: error.resource, message: error.message, exception: error.exception };
  const { body } = serialise(errorEntity, value, media.format, timeZone);
  return { status: error.status, headers: { ...CORS, 'Content-Type': media.contentType }, body };
}

function readBody(spec: RouteSpec, call: IncomingCall): Record<string, unknown> | null {
  const contentType = call.headers['content-type'];
  // No body and no Content-Type reaches the resource method with a null entity (openfire-rest-api.md §4.1).
  if (call.rawBody === '' && contentType === undefined) return null;
  const format = bodyFormat(contentType);
  if (format === null || (spec.body === 'vcard' && format !== 'xml')) throw new ContainerError(415);
  if (spec.body === 'vcard') return null;
  const schema = schemaOf(spec.body === 'affiliations' ? 'affiliations:members' : (spec.body as string));
  return format === 'json' ? readJson(schema, call.rawBody) : readXml(schema, call.rawBody);
}

/** The response format a route negotiates, or throws 406. */
function negotiate(spec: RouteSpec, accept: string | undefined): Format {
  if (spec.response === 'affiliations') {
    // This resource method has no @Produces: the runtime follows Accept without ever answering 406 [ambiguous].
    return successFormat(accept) === 'json' ? 'json' : 'xml';
  }
  if (
    spec.response === undefined ||
    spec.response === 'status' ||
    spec.response === 'yaml' ||
    spec.response === 'json'
  ) {
    return 'xml';
  }
  const format = successFormat(accept);
  if (format === null || (spec.response === 'vcard' && format !== 'xml')) throw new ContainerError(406);
  return format;
}

function render(reply: Reply, format: Format, timeZone: string): WireResponse {
  switch (reply.kind) {
    case 'empty':
      return { status: reply.status, headers: { ...CORS }, body: '' };
    case 'raw': {
      const headers: Record<string, string> = reply.cors === false ? {} : { ...CORS };
      if (reply.contentType) headers['Content-Type'] = reply.contentType;
      return { status: reply.status, headers, body: reply.body, ...(reply.encoding && { encoding: reply.encoding }) };
    }
    case 'entity': {
      const { contentType, body } = serialise(schemaOf(reply.entity), reply.value, format, timeZone);
      return { status: reply.status, headers: { ...CORS, 'Content-Type': contentType }, body };
    }
  }
}

export interface Dispatch {
  /** The matched route, for statistics and faults; null when the path matches none. */
  readonly route: RouteKey | null;
  /** Runs the request; only called once faults allow it. */
  readonly run: () => WireResponse;
}

/**
 * The plugin's request path for anything under the base path: auth filter, routing, negotiation, entity reading,
 * the resource method, and the mapping of its failures (openfire-rest-api.md §3, §4).
 */
export function dispatch(
  call: IncomingCall,
  handlers: Readonly<Record<RouteKey, Handler>>,
  ctx: HandlerContext,
): Dispatch {
  const relative = call.path.slice(BASE_PATH.length) || '/';
  const match = matchRoute(call.method, relative);
  const route = match.kind === 'route' ? match.route : null;
  const run = (): WireResponse => {
    try {
      const auth = authenticate(ctx.store, call.method, call.path, call.headers, call.remoteAddress);
      if (auth !== 'pass') return container(call, auth);
      if (match.kind === 'not-found') return container(call, 404);
      if (match.kind === 'method-not-allowed') return container(call, 405);
      if (match.kind === 'options') return { status: 200, headers: { ...CORS, Allow: match.allow }, body: '' };
      const spec: RouteSpec = routes[match.route];
      const format = negotiate(spec, call.headers.accept);
      const body = spec.body === undefined ? null : readBody(spec, call);
      const req: EmuRequest = {
        method: call.method,
        route: match.route,
        params: match.params,
        query: call.query,
        headers: call.headers,
        body,
        rawBody: call.rawBody,
        remoteAddress: call.remoteAddress,
        format,
      };
      try {
        return render(handlers[match.route](req, ctx), format, ctx.timeZone);
      } finally {
        // Failed calls can have changed state too (Openfire is not transactional), so every write is persisted;
        // the legacy userservice changes state on GET as well (openfire-rest-api.md §12.6 item 6).
        if ((call.method !== 'GET' && call.method !== 'HEAD') || spec.auth === 'legacy') ctx.store.changed();
      }
    } catch (error) {
      if (error instanceof ServiceError) return errorResponse(call, error, ctx.timeZone);
      if (error instanceof ContainerError) return container(call, error.status);
      if (error instanceof XmlReadError) return container(call, 400);
      if (error instanceof JsonReadError) {
        return { status: 400, headers: { ...CORS, 'Content-Type': 'text/plain' }, body: error.message };
      }
      return container(call, 500, 'Request failed.');
    }
  };
  return { route, run };
}
