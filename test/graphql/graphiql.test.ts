import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Kind, type OperationDefinitionNode, parse, print, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { demoTokens } from '../../src/auth/demo.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { exampleOperations } from '../../src/graphql/graphiql.js';
import { schema } from '../../src/schema/index.js';
import { nodeprep } from '../../src/xmpp/jid.js';
import { settings } from '../helpers/emulator.js';
import { offlineApp, useGateway } from '../helpers/gateway.js';
import { scanForSecret } from '../helpers/log-sink.js';

/** GraphiQL through `app.fetch`: the page, its self-hosted assets (cache, compression, validators) and the switch. */
const app = offlineApp;

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function page(gateway: ReturnType<typeof app>) {
  const res = await gateway.fetch('http://gateway/graphql', { headers: html });
  const body = await res.text();
  const config = JSON.parse(
    /<script type="application\/json" id="graphiql-config">(.*?)<\/script>/s.exec(body)?.[1] ?? 'null',
  );
  const urls = [...body.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1] as string);
  return { res, body, config, urls };
}

const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
const defaultApp = app();
const { urls, config } = await page(defaultApp);
const assetUrl = (name: string): string => {
  const url = [...urls, ...Object.values<string>(config.workers)].find((u) => u.endsWith(`/${name}`));
  if (!url) throw new Error(`the page does not reference ${name}`);
  return `http://gateway/${url}`;
};
const bytes = async (res: Response): Promise<Buffer> => Buffer.from(await res.arrayBuffer());

describe('the GraphiQL page', () => {
  it('is served at GET /graphql to browsers, loading everything from the gateway', async () => {
    const { res, body } = await page(defaultApp);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(body).toContain('<div id="root"></div>');
    expect(body).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(body).not.toMatch(/https?:\/\//);
    // Relative, content-hashed URLs; the boot script runs before the bundle.
    expect(urls.map((url) => /^graphiql\/[0-9a-f]{16}\/([\w.]+)$/.exec(url)?.[1])).toEqual([
      'favicon.ico',
      'graphiql.css',
      'boot.js',
      'graphiql.js',
    ]);
    expect(Object.values(config.workers)).toEqual(
      Array.from({ length: 3 }, () => expect.stringMatching(/^graphiql\/[0-9a-f]{16}\/\w+\.worker\.js$/)),
    );
  });

  it('opens with the example operations; headers empty with a hint, or pre-filled when given', async () => {
    expect(config.options.defaultTabs.map((tab: { query: string }) => tab.query)).toEqual([
      expect.stringContaining('{"Authorization": "<REST API secret>"}'),
      exampleOperations[1],
      exampleOperations[2],
      exampleOperations[3],
      expect.stringContaining(
        `# Put an end user's token in the Headers tab below:\n# {"Authorization": "Bearer <token>"}\n`,
      ),
    ]);
    expect(config.options.defaultTabs[4].query).toContain(exampleOperations[4]);
    expect(config.options.defaultTabs[0].query).toContain(exampleOperations[0]);
    expect(config.options.defaultHeaders).toBeUndefined();
    expect(config.options.shouldPersistHeaders).toBe(false);

    const keyed = (await page(app({ auth: { kind: 'keys', match: () => null } }))).config;
    expect(keyed.options.defaultTabs[0].query).toContain('{"Authorization": "Bearer <key>"}');

    const embedded = (await page(app({ graphiql: { defaultHeaders: { Authorization: 'demo</script>secret' } } })))
      .config;
    expect(embedded.options.defaultTabs.map((tab: { headers?: string }) => tab.headers)).toEqual([
      ...Array.from({ length: 4 }, () => JSON.stringify({ Authorization: 'demo</script>secret' }, null, 2)),
      undefined,
    ]);
    expect(JSON.parse(embedded.options.defaultHeaders)).toEqual({ Authorization: 'demo</script>secret' });

    // The "Me" tab runs as the end user whose token it holds (embedded mode's demo token for jane).
    const user = { Authorization: 'Bearer eyJ.demo.token' };
    const withUser = (await page(app({ graphiql: { defaultHeaders: { Authorization: 'secret' }, userHeaders: user } })))
      .config;
    const tabs = withUser.options.defaultTabs as Array<{ query: string; headers: string }>;
    expect(tabs.map((tab) => JSON.parse(tab.headers).Authorization)).toEqual([
      'secret',
      'secret',
      'secret',
      'secret',
      user.Authorization,
    ]);
    expect(tabs[4]?.query).toBe(exampleOperations[4]);
  });

  it('is not served when GraphiQL is off, nor to GraphQL clients', async () => {
    const off = app({ graphiql: false });
    const res = await off.fetch('http://gateway/graphql', { headers: { ...html, authorization: 'secret' } });
    expect(res.headers.get('content-type')).not.toContain('text/html');
    expect(await res.text()).not.toContain('<html');
    expect((await off.fetch(assetUrl('graphiql.js'))).status).toBe(404);

    const json = await defaultApp.fetch('http://gateway/graphql?query=%7B__typename%7D', {
      headers: { accept: 'application/json', authorization: 'secret', 'x-graphql-yoga-csrf': '1' },
    });
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('GraphiQL assets', () => {
  it.each([
    ['graphiql.js', 'text/javascript; charset=utf-8', bundle.js],
    ['graphiql.css', 'text/css; charset=utf-8', bundle.css],
    ['editor.worker.js', 'text/javascript; charset=utf-8', bundle.editorWorkerService],
    ['json.worker.js', 'text/javascript; charset=utf-8', bundle.jsonWorker],
    ['graphql.worker.js', 'text/javascript; charset=utf-8', bundle.graphqlWorker],
  ])(
    'serves %s as render-graphiql ships it, cacheable for a year, in brotli, gzip or as is',
    async (name, type, source) => {
      const original = Buffer.from(source);
      const url = assetUrl(name);
      const plain = await defaultApp.fetch(url);
      expect(plain.status).toBe(200);
      expect(Object.fromEntries(plain.headers)).toMatchObject({
        'content-type': type,
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'Accept-Encoding',
        etag: expect.stringMatching(/^"[0-9a-f]{16}"$/),
        'content-length': String(original.length),
      });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect((await bytes(plain)).equals(original)).toBe(true);

      const br = await defaultApp.fetch(url, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(br.headers.get('vary')).toBe('Accept-Encoding');
      const brBody = await bytes(br);
      expect(br.headers.get('content-length')).toBe(String(brBody.length));
      expect(brBody.length).toBeLessThan(original.length / 2);
      expect(brotliDecompressSync(brBody).equals(original)).toBe(true);

      const gzip = await defaultApp.fetch(url, { headers: { 'accept-encoding': 'gzip' } });
      expect(gzip.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(await bytes(gzip)).equals(original)).toBe(true);
      expect(new Set([plain.headers.get('etag'), br.headers.get('etag'), gzip.headers.get('etag')]).size).toBe(3);
    },
  );

  it('serves the favicon and the boot script', async () => {
    const icon = await defaultApp.fetch(assetUrl('favicon.ico'));
    expect(icon.headers.get('content-type')).toBe('image/x-icon');
    expect(`data:image/x-icon;base64,${(await bytes(icon)).toString('base64')}`).toBe(bundle.favicon);
    const boot = await defaultApp.fetch(assetUrl('boot.js'));
    expect(boot.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await boot.text()).toContain('YogaGraphiQL.renderYogaGraphiQL');
  });

  it.each([
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0.5, gzip;q=0.5', 'br'],
    ['*', 'br'],
    ['*, br;q=0', 'gzip'],
    ['identity', null],
    ['', null],
  ])('negotiates Accept-Encoding "%s" to %s', async (acceptEncoding, coding) => {
    const res = await defaultApp.fetch(assetUrl('graphiql.css'), { headers: { 'accept-encoding': acceptEncoding } });
    expect(res.headers.get('content-encoding')).toBe(coding);
    await res.arrayBuffer();
  });

  it('answers 304 to a matching If-None-Match, whatever the encoding, and HEAD without a body', async () => {
    const url = assetUrl('graphiql.css');
    const etag = (await defaultApp.fetch(url)).headers.get('etag') as string;
    for (const encoding of ['br', 'gzip', 'identity']) {
      const res = await defaultApp.fetch(url, {
        headers: { 'if-none-match': `W/"x", ${etag}`, 'accept-encoding': encoding },
      });
      expect(res.status).toBe(304);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(await res.text()).toBe('');
    }
    expect((await defaultApp.fetch(url, { headers: { 'if-none-match': '"0000000000000000"' } })).status).toBe(200);
    const head = await defaultApp.fetch(url, { method: 'HEAD', headers: { 'accept-encoding': 'br' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-encoding')).toBe('br');
    expect(await head.text()).toBe('');
  });

  it('answers 404 to another hash or an unknown name, so no stale URL gets other content', async () => {
    const url = assetUrl('graphiql.js');
    expect((await defaultApp.fetch(url.replace(/\/[0-9a-f]{16}\//, '/0000000000000000/'))).status).toBe(404);
    expect((await defaultApp.fetch(url.replace('graphiql.js', 'other.js'))).status).toBe(404);
    expect((await defaultApp.fetch(`${url}/more`)).status).toBe(404);
  });
});

describe('the example operations', () => {
  const gateway = useGateway();

  it('are valid against the schema', () => {
    for (const operation of exampleOperations) expect(validate(schema, parse(operation))).toEqual([]);
  });

  it('run without errors on the demo data, the mutation undone by its companion', async () => {
    const [users, rooms, mutations] = exampleOperations;
    const listed = await gateway.gql(users);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.users.nodes.map((u: { username: string }) => u.username)).toEqual([
      'admin',
      'jane',
      'john',
    ]);
    expect((await gateway.gql(rooms)).body).toEqual({ data: { chatRooms: { totalCount: 0, nodes: [] } } });
    // Each operation of the mutation tab on its own, as GraphiQL sends the one picked.
    const [create, remove] = parse(mutations).definitions.map((op) =>
      print({ kind: Kind.DOCUMENT, definitions: [op as OperationDefinitionNode] }),
    );
    const created = await gateway.gql(create as string);
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createChatRoom).toMatchObject({
      jid: 'standup@conference.example.org',
      owners: [{ jid: 'john@example.org' }],
    });
    expect((await gateway.gql(rooms)).body.data.chatRooms.totalCount).toBe(1);
    expect((await gateway.gql(remove as string)).body).toEqual({ data: { deleteChatRoom: true } });
  });
});

describe('the example operations on the showcase data (the default of npm start)', () => {
  const gateway = useGateway({ seed: showcaseSeed(settings) });

  it('show users with groups and rosters, and rooms with owners and occupants, without errors', async () => {
    const [users, rooms] = exampleOperations;
    const listed = await gateway.gql(users);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.users.totalCount).toBe(5);
    const jane = listed.body.data.users.nodes.find((u: { username: string }) => u.username === 'jane');
    expect(jane).toMatchObject({ online: true, groups: [{ name: 'developers' }] });
    const shown = await gateway.gql(rooms);
    expect(shown.body.errors).toBeUndefined();
    expect(shown.body.data.chatRooms.nodes.map((r: { jid: string }) => r.jid)).toContain(
      'lobby@conference.example.org',
    );
    const lobby = shown.body.data.chatRooms.nodes.find((r: { jid: string }) => r.jid.startsWith('lobby@'));
    expect(lobby.occupants.length).toBeGreaterThan(0);
  });

  it('create and delete their room beside the showcase rooms', async () => {
    const [, , mutations] = exampleOperations;
    const [create, remove] = parse(mutations).definitions.map((op) =>
      print({ kind: Kind.DOCUMENT, definitions: [op as OperationDefinitionNode] }),
    );
    expect((await gateway.gql(create as string)).body.errors).toBeUndefined();
    expect((await gateway.gql(remove as string)).body).toEqual({ data: { deleteChatRoom: true } });
  });
});

const demo = await demoTokens({ nodeprep });

describe('the Me tab with embedded mode’s demo token (npm start)', () => {
  const gateway = useGateway({ seed: showcaseSeed(settings), tokens: demo.verifier });

  it('shows jane her own account, roster and groups', async () => {
    const token = await demo.sign('jane');
    scanForSecret(token);
    const res = await gateway.gql(exampleOperations[4], {}, { authorization: `Bearer ${token}` });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.me).toMatchObject({ username: 'jane', name: 'Jane Doe', groups: [{ name: 'developers' }] });
    expect(res.body.data.me.roster.length).toBeGreaterThan(0);
  });
});
