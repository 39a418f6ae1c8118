import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * GraphiQL's scripts, styles and icon, served by the gateway itself (no CDN: Openfire admin networks are often
 * closed) under content-hashed URLs, cached for a year and compressed once per process on first demand.
 */
export type AssetName = 'graphiql.js' | 'graphiql.css' | 'editor.worker.js' | 'json.worker.js' | 'graphql.worker.js' | 'favicon.ico' | 'boot.js';

type Coding = 'br' | 'gzip';

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly hash: string;
  readonly encoded: Map<Coding, Promise<Buffer>>;
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
 */
const boot = `'use strict';
(function () {
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
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
const compress: Record<Coding, (body: Buffer) => Promise<Buffer>> = {
  // Quality 9 is 10× faster than 11 (about 1 s instead of 14 s for the 5 MB bundle) for 10% more bytes.
  br: (body) =>
    promisify(brotliCompress)(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  gzip: (body) => promisify(gzip)(body, { level: 9 }),
};

/** Parses the render-graphiql bundle (9 MB of strings) only when GraphiQL is first asked for. */
async function load(): Promise<Map<string, Asset>> {
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
  const assets = new Map<string, Asset>();
  for (const [name, [type, source]] of Object.entries(sources)) {
    const body = Buffer.from(source);
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    assets.set(name, { type, body, hash, encoded: new Map() });
  }
  return assets;
}

/** The preferred coding the client accepts (brotli on a tie), or null for the identity. */
export function negotiate(acceptEncoding: string | null): Coding | null {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (coding) weights.set(coding, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const weight = (coding: Coding): number => weights.get(coding) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).reduce<Coding | null>((a, c) => (weight(c) > (a ? weight(a) : 0) ? c : a), null);
  return best;
}

function encoded(asset: Asset, coding: Coding): Promise<Buffer> {
  let body = asset.encoded.get(coding);
  if (!body) {
    body = compress[coding](asset.body);
    asset.encoded.set(coding, body);
    // A failed compression is retried by the next request rather than cached.
    body.catch(() => asset.encoded.delete(coding));
  }
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

async function serve(assets: Map<string, Asset>, request: Request, path: string): Promise<Response> {
  const [hash, name, ...rest] = path.split('/');
  const asset = assets.get(name ?? '');
  if (!asset || asset.hash !== hash || rest.length > 0) {
    return new Response('Not Found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const coding = negotiate(request.headers.get('accept-encoding'));
  const headers = new Headers({
    'cache-control': 'public, max-age=31536000, immutable',
    etag: coding ? `"${asset.hash}-${coding}"` : `"${asset.hash}"`,
    vary: 'Accept-Encoding',
  });
  if (notModified(request.headers.get('if-none-match'), asset.hash)) return new Response(null, { status: 304, headers });
  const body = coding ? await encoded(asset, coding) : asset.body;
  headers.set('content-type', asset.type);
  headers.set('content-length', String(body.length));
  headers.set('x-content-type-options', 'nosniff');
  if (coding) headers.set('content-encoding', coding);
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}

let assets: Promise<Map<string, Asset>> | undefined;

/** The asset set, loaded once per process and shared by every app. */
export async function graphiqlAssets(): Promise<GraphiQLAssets> {
  assets ??= load();
  const loaded = await assets;
  return {
    path: (name) => `graphiql/${loaded.get(name)?.hash}/${name}`,
    serve: (request, path) => serve(loaded, request, path),
  };
}
