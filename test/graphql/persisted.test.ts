import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { createApqStore } from '../../src/graphql/plugins/use-apq.js';
import { readPersistedOperations } from '../../src/persisted-operations.js';
import { SECRET } from '../helpers/emulator.js';
import { type TestGateway, useGateway } from '../helpers/gateway.js';

/** Persisted queries as frontends send them: `extensions.persistedQuery` with the SHA-256 of the query text. */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const known = '{ user(username: "john") { name } }';
const other = '{ user(username: "jane") { name } }';
const persistedQuery = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const operations = await readPersistedOperations(file('operations.json', JSON.stringify({ [sha256(known)]: known })));

const apq = useGateway();
const noApq = useGateway({ app: { persisted: { apq: false } } });
const withFile = useGateway({ app: { persisted: { operations } } });
const only = useGateway({ app: { persisted: { operations, only: true } } });

async function send(gateway: TestGateway, body: Record<string, unknown>) {
  const res = await gateway.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: SECRET },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const notFound = {
  errors: [
    expect.objectContaining({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }),
  ],
};
const john = { data: { user: { name: 'John Doe' } } };

describe('automatic persisted queries (APQ, default on)', () => {
  it('answers PersistedQueryNotFound to an unknown hash, then runs it by hash once registered', async () => {
    expect(await send(apq, { extensions: persistedQuery(other) })).toEqual({ status: 404, body: notFound });
    expect((await apq.upstreamCalls()).total).toBe(0);

    expect(await send(apq, { query: other, extensions: persistedQuery(other) })).toEqual({
      status: 200,
      body: { data: { user: { name: 'Jane Doe' } } },
    });
    expect(await send(apq, { extensions: persistedQuery(other) })).toEqual({
      status: 200,
      body: { data: { user: { name: 'Jane Doe' } } },
    });
    expect((await apq.upstreamCalls()).total).toBe(2);
  });

  it('runs a registered hash sent with GET, as frontends do for caching', async () => {
    await send(apq, { query: known, extensions: persistedQuery(known) });
    const url = `/graphql?extensions=${encodeURIComponent(JSON.stringify(persistedQuery(known)))}`;
    const res = await apq.fetch(url, {
      headers: { accept: 'application/json', authorization: SECRET, 'x-graphql-yoga-csrf': '1' },
    });
    expect(await res.json()).toEqual(john);
  });

  it('refuses a query whose hash does not match, registering nothing', async () => {
    const wrong = { persistedQuery: { version: 1, sha256Hash: sha256(known) } };
    expect(await send(apq, { query: other, extensions: wrong })).toEqual({
      status: 400,
      body: { errors: [expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_MISMATCH' } })] },
    });
    expect((await apq.upstreamCalls()).total).toBe(0);
  });

  it('keeps a bounded number of queries per process, dropping the least recently used', () => {
    const store = createApqStore(2);
    store.set('a', 'A');
    store.set('b', 'B');
    store.get('a');
    store.set('c', 'C');
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual(['A', undefined, 'C']);
  });

  it('registers nothing when APQ is off', async () => {
    expect((await send(noApq, { query: known, extensions: persistedQuery(known) })).body).toEqual(john);
    expect((await send(noApq, { extensions: persistedQuery(known) })).body).toEqual({
      errors: [expect.objectContaining({ message: 'Must provide query string.' })],
    });
  });
});

describe('known operations (PERSISTED_OPERATIONS)', () => {
  it('runs a known hash without registration, alongside arbitrary queries and APQ', async () => {
    expect(await send(withFile, { extensions: persistedQuery(known) })).toEqual({ status: 200, body: john });
    expect((await send(withFile, { query: other })).body).toEqual({ data: { user: { name: 'Jane Doe' } } });
    expect((await send(withFile, { extensions: persistedQuery(other) })).body).toEqual(notFound);
    await send(withFile, { query: other, extensions: persistedQuery(other) });
    expect((await send(withFile, { extensions: persistedQuery(other) })).body).toEqual({
      data: { user: { name: 'Jane Doe' } },
    });
  });

  it('accepts nothing else with PERSISTED_ONLY: arbitrary documents and APQ registration are refused before any upstream call', async () => {
    expect(await send(only, { extensions: persistedQuery(known) })).toEqual({ status: 200, body: john });
    await only.resetCalls();
    const refused = {
      status: 400,
      body: {
        errors: [
          expect.objectContaining({
            message: expect.stringContaining('PERSISTED_ONLY'),
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        ],
      },
    };
    expect(await send(only, { query: other })).toEqual(refused);
    expect(await send(only, { query: other, extensions: persistedQuery(other) })).toEqual(refused);
    expect((await send(only, { extensions: persistedQuery(other) })).body).toEqual(notFound);
    expect((await only.upstreamCalls()).total).toBe(0);
  });
});

describe('reading PERSISTED_OPERATIONS', () => {
  it('reads { "<sha256>": "<query>" }, upper-case hex too', async () => {
    const map = await readPersistedOperations(
      file('upper.json', JSON.stringify({ [sha256(known).toUpperCase()]: known })),
    );
    expect([...map]).toEqual([[sha256(known), known]]);
  });

  it.each([
    ['missing.json', null, /PERSISTED_OPERATIONS: \S+missing\.json cannot be read \(ENOENT\)/],
    ['broken.json', '{ "a": ', /PERSISTED_OPERATIONS: \S+ is not JSON/],
    ['array.json', '["{ a }"]', /must hold a JSON object/],
    ['key.json', JSON.stringify({ abc: known }), /key that is not a SHA-256 hex digest: "abc"/],
    ['value.json', JSON.stringify({ [sha256(known)]: 42 }), /to something other than a query string/],
    ['mismatch.json', JSON.stringify({ [sha256(other)]: known }), /to a query whose SHA-256 is/],
    ['syntax.json', JSON.stringify({ [sha256('{ user(')]: '{ user(' }), /to a query that does not parse: Syntax Error/],
  ])('refuses %s with a ConfigError naming the setting', async (name, content, message) => {
    const path = content === null ? join(dir, name) : file(name, content);
    const read = readPersistedOperations(path);
    await expect(read).rejects.toThrow(ConfigError);
    await expect(read).rejects.toThrow(message);
  });
});
