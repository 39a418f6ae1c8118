import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { codes, stack } from './stack.js';

const t = useEmulator();

describe('the per-request deadline (REQUEST_TIMEOUT_MS)', () => {
  it('aborts upstream calls still running at the deadline and answers UPSTREAM_TIMEOUT within it', async () => {
    const e = await t.ready;
    // Openfire's answer is further away than the test's own timeout: only the deadline can end the request.
    e.faults.add({ route: 'GET /users/{username}', latencyMs: 600_000 });
    const res = await stack(e.url, { requestTimeoutMs: 300 }).gql(
      '{ user(username: "john") { username } group(name: "nobody") { name } }',
    );
    expect(res.body.data).toEqual({ user: null, group: null });
    expect(codes(res.body)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(res.body.errors?.[0]?.message).toBe(
      "Openfire did not answer within the request's deadline of 300 ms (REQUEST_TIMEOUT_MS).",
    );
  });

  it('sends no call once the deadline has passed', async () => {
    const e = await t.ready;
    e.faults.add({ route: 'GET /groups/{groupName}', latencyMs: 3_000 });
    // The members' lookups would start after the group arrives: past the deadline, they are never sent.
    const res = await stack(e.url, { requestTimeoutMs: 300 }).gql('{ group(name: "staff") { members { username } } }');
    expect(codes(res.body)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(e.stats.toJSON().routes).toEqual({ 'GET /groups/{groupName}': 1 });
  });

  it('sends no new call for a caller that has left; the call in flight ends on its own', async () => {
    const e = await t.ready;
    e.faults.add({ route: 'GET /groups/{groupName}', latencyMs: 300 });
    const finished: string[] = [];
    const g = stack(e.url, { onCall: (event) => finished.push(event.route) });
    const left = new AbortController();
    const answer = g.post('{ group(name: "staff") { members { username } } }', left.signal);
    await expect.poll(() => e.stats.toJSON().total).toBe(1);
    left.abort();
    await expect(answer).rejects.toThrow();
    await expect.poll(() => finished).toEqual(['GET /groups/{groupName}']);
    // The members' lookups would follow within a few turns of the event loop (loopback, same process): none comes.
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(e.stats.toJSON().routes).toEqual({ 'GET /groups/{groupName}': 1 });
  });

  it('leaves requests that finish in time alone', async () => {
    const e = await t.ready;
    e.faults.add({ route: 'GET /users/{username}', latencyMs: 50 });
    const res = await stack(e.url, { requestTimeoutMs: 2_000 }).gql('{ user(username: "john") { username } }');
    expect(res.body).toEqual({ data: { user: { username: 'john' } } });
  });
});

describe('the cap on upstream calls (MAX_UPSTREAM_CALLS)', () => {
  const three =
    '{ a: user(username: "john") { username } b: user(username: "jane") { username } c: user(username: "admin") { username } }';

  it('refuses calls past the cap with BAD_USER_INPUT naming the setting, and sends none of them', async () => {
    const e = await t.ready;
    const res = await stack(e.url, { maxUpstreamCalls: 2 }).gql(
      '{ user(username: "john") { username } group(name: "nobody") { name } chatRoom(name: "lobby") { roomName } }',
    );
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toBe(
      'This request needs more than 2 upstream calls (MAX_UPSTREAM_CALLS); ask for less at once.',
    );
    expect(e.stats.toJSON().total).toBe(2);
  });

  it('counts per request, not per process', async () => {
    const e = await t.ready;
    const g = stack(e.url, { maxUpstreamCalls: 3 });
    for (let i = 0; i < 3; i++) expect((await g.gql(three)).body.errors).toBeUndefined();
    expect(e.stats.toJSON().total).toBe(9);
  });
});
