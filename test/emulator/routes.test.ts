import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { routeKeys, routes, splitRouteKey } from '../../src/upstream/routes.js';
import { call, settings, useEmulator } from '../helpers/emulator.js';

/** Every route of the shared table is reachable through the emulator's router, and the seeds serve real data. */
const t = useEmulator({ seed: showcaseSeed(settings) });

const samples: Record<string, string> = {
  username: 'john',
  groupName: 'developers',
  groupname: 'developers',
  rosterJid: 'jane@example.org',
  roomName: 'lobby',
  jid: 'jane@example.org',
  propertyKey: 'xmpp.domain',
  nodeId: 'node-1',
};

describe('the route table', () => {
  it('has the 71 resource methods of openfire-rest-api.md §5', () => {
    expect(routeKeys).toHaveLength(71);
  });

  it.each(routeKeys)('routes %s to its handler', async (key) => {
    const { method, template } = splitRouteKey(key);
    const spec = routes[key];
    const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const allowed = 'oneOf' in spec ? (spec.oneOf as Record<string, readonly string[]>)[name] : undefined;
      return encodeURIComponent(allowed?.[0] ?? samples[name] ?? 'x');
    });
    const res = await t.api(method, path, { accept: 'application/json' });
    expect(res.status).not.toBe(405);
    const e = await t.ready;
    const stats = (await call(e.url, 'GET', '//__emulator/stats', { auth: null })).json();
    expect(stats.routes).toEqual({ [key]: 1 });
  });
});

describe('the showcase seed', () => {
  it('serves sessions, occupants, history, groups, audit entries and unread counts', async () => {
    const json = { accept: 'application/json' };
    expect((await t.api('GET', '/sessions', json)).json().sessions).toHaveLength(2);
    expect((await t.api('GET', '/chatrooms/lobby/occupants', json)).json().occupants).toHaveLength(3);
    expect((await t.api('GET', '/chatrooms/lobby/participants', json)).json().participants).toHaveLength(1);
    expect((await t.api('GET', '/chatrooms/lobby/chathistory', json)).json().message).toHaveLength(2);
    expect((await t.api('GET', '/groups/developers', json)).json()).toMatchObject({
      admins: ['jane@example.org'],
      shared: true,
    });
    expect((await t.api('GET', '/logs/security', json)).json().logs).toHaveLength(2);
    expect((await t.api('GET', '/archive/messages/unread/alice@example.org', json)).json()).toEqual({
      jid: 'alice@example.org',
      count: 5,
    });
    expect((await t.api('GET', '/system/statistics/sessions', json)).json()).toEqual({
      localSessions: 2,
      clusterSessions: 2,
    });
  });
});
