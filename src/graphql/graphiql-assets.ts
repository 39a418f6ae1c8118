import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * GraphiQL's scripts, styles and icon, served by the gateway itself (no CDN: Openfire admin networks are often
 * closed) under content-hashed URLs, cached for a year and compressed once per process on first demand.
 */
export type AssetName =
  | 'graphiql.js'
  | 'graphiql.css'
  | 'editor.worker.js'
  | 'json.worker.js'
  | 'graphql.worker.js'
  | 'favicon.ico'
  | 'boot.js';

type Coding = 'br' | 'gzip';

interface Asset {
  readonly type: string;
  readonly body: Buffer<ArrayBuffer>;
  readonly hash: string;
  readonly encoded: Map<Coding, Promise<Buffer<ArrayBuffer>>>;
}

export interface GraphiQLAssets {
  /** The asset's path relative to `/graphql`, e.g. `graphiql/3f2a…/graphiql.js`. */
  path(name: AssetName): string;
  /** Answers `GET`/`HEAD /graphiql/<hash>/<name>`; 404 for a name or hash it does not have. */
  serve(request: Request, path: string): Promise<Response>;
}

/**
 * Reads the page's configuration (a JSON data block, so the page needs no inline script), points Monaco at the
 * worker URLs and renders GraphiQL once the bundle after it has loaded.
 *
 * Before that it tidies GraphiQL's stored tabs, which win over the page's defaults: stored headers still equal to
 * headers the page handed out before (`handedHeaders`: the default ones, the "Me" tab's) get the ones it hands out
 * now, since the embedded demo server makes a new secret and a new signing key per start; and
 * GraphiQL's "current editor" keys are set from the active tab, since GraphiQL otherwise finds no tab matching them
 * on a reload and opens an empty one without headers.
 */
const boot = `'use strict';
(function () {
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var handed = config.handedHeaders;
  try {
    var state = JSON.parse(localStorage.getItem('graphiql:tabState') || 'null');
    if (state && Array.isArray(state.tabs)) {
      var previous = JSON.parse(localStorage.getItem('openfire-gateway:handedHeaders') || '[]');
      state.tabs.forEach(function (tab) {
        var i = tab.headers ? previous.indexOf(tab.headers) : -1;
        if (i !== -1 && handed[i]) tab.headers = handed[i];
      });
      localStorage.setItem('graphiql:tabState', JSON.stringify(state));
      var active = state.tabs[state.activeTabIndex];
      if (active) {
        ['query', 'variables', 'headers'].forEach(function (key) {
          if (active[key]) localStorage.setItem('graphiql:' + key, active[key]);
          else localStorage.removeItem('graphiql:' + key);
        });
      }
    }
    localStorage.setItem('openfire-gateway:handedHeaders', JSON.stringify(handed));
  } catch (e) {
    // Storage disabled or holding something else: GraphiQL then starts from the defaults or its own state.
  }
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) { return config.workers[label]; },
  };
  window.addEventListener('DOMContentLoaded', function () {
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), config.options);
  });
})();
`;

const js = 'text/javascript; charset=utf-8';
const compress: Record<Coding, (body: Buffer) => Promise<Buffer<ArrayBuffer>>> = {
  // Quality 5 compresses the 5 MB bundle in about 0.5 s (11 takes 14 s) for some 5% more bytes than 9.
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body) => promisify(gzip)(body, { level: 9 }),
};

/** Parses the render-graphiql bundle (9 MB of strings) only when GraphiQL is first asked for. */
async function load(): Promise<Record<AssetName, Asset>> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const icon = /^data:image\/x-icon;base64,(.*)$/s.exec(bundle.favicon);
  if (!icon?.[1]) throw new Error('@graphql-yoga/render-graphiql: the favicon is no longer an x-icon data URI');
  const sources: Record<AssetName, [string, string | Buffer]> = {
    'graphiql.js': [js, bundle.js],
    'graphiql.css': ['text/css; charset=utf-8', bundle.css],
    'editor.worker.js': [js, bundle.editorWorkerService],
    'json.worker.js': [js, bundle.jsonWorker],
    'graphql.worker.js': [js, bundle.graphqlWorker],
    'favicon.ico': ['image/x-icon', Buffer.from(icon[1], 'base64')],
    'boot.js': [js, boot],
  };
  const asset = ([type, source]: [string, string | Buffer]): Asset => {
    const body = Buffer.from(source);
    return { type, body, hash: createHash('sha256').update(body).digest('hex').slice(0, 16), encoded: new Map() };
  };
  return Object.fromEntries(Object.entries(sources).map(([name, source]) => [name, asset(source)])) as Record<
    AssetName,
    Asset
  >;
}

/** The preferred coding the client accepts (brotli on a tie), or null for the identity. */
function negotiate(acceptEncoding: string | null): Coding | null {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (coding) weights.set(coding, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const weight = (coding: Coding): number => weights.get(coding) ?? weights.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  return weight('gzip') > 0 ? 'gzip' : null;
}

/** Compressed once; concurrent first requests share the work, which runs off the event loop (zlib's pool). */
function encoded(asset: Asset, coding: Coding): Promise<Buffer<ArrayBuffer>> {
  const known = asset.encoded.get(coding);
  if (known) return known;
  const body = compress[coding](asset.body);
  asset.encoded.set(coding, body);
  return body;
}

/** If-None-Match against any representation of the asset: they all carry the same content. */
function notModified(ifNoneMatch: string | null, hash: string): boolean {
  if (ifNoneMatch === null) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === `"${hash}"` || t === `"${hash}-br"` || t === `"${hash}-gzip"`;
  });
}

async function serve(assets: Record<AssetName, Asset>, request: Request, path: string): Promise<Response> {
  const [hash, name = '', ...rest] = path.split('/');
  const asset = Object.hasOwn(assets, name) ? assets[name as AssetName] : undefined;
  // An unknown hash is a 404, never another version's content under a year-long immutable cache entry.
  if (!asset || asset.hash !== hash || rest.length > 0) {
    return new Response('Not Found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const coding = negotiate(request.headers.get('accept-encoding'));
  const headers = new Headers({
    'cache-control': 'public, max-age=31536000, immutable',
    etag: coding ? `"${asset.hash}-${coding}"` : `"${asset.hash}"`,
    vary: 'Accept-Encoding',
  });
  if (notModified(request.headers.get('if-none-match'), asset.hash))
    return new Response(null, { status: 304, headers });
  const body = coding ? await encoded(asset, coding) : asset.body;
  headers.set('content-type', asset.type);
  headers.set('content-length', String(body.length));
  headers.set('x-content-type-options', 'nosniff');
  if (coding) headers.set('content-encoding', coding);
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}

let assets: Promise<Record<AssetName, Asset>> | undefined;

/** The asset set, loaded once per process and shared by every app. */
export async function graphiqlAssets(): Promise<GraphiQLAssets> {
  assets ??= load();
  const loaded = await assets;
  return {
    path: (name) => `graphiql/${loaded[name].hash}/${name}`,
    serve: (request, path) => serve(loaded, request, path),
  };
}
