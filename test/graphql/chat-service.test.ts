import { describe, expect, it } from 'vitest';
import { roomRecord } from '../../src/emulator/seeds/builders.js';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { defined } from '../helpers/defined.js';
import { roomIn, serviceIn, settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway({ seed: showcaseSeed(settings) });
const state = async () => (await g.ready).snapshot();

describe('chat service queries', () => {
  it('lists the services with one upstream call', async () => {
    const res = await g.gql(
      '{ chatServices { serviceName description hidden } a: chatService(serviceName: "Conference") { serviceName } }',
    );
    expect(res.body).toEqual({
      data: {
        chatServices: [{ serviceName: 'conference', description: 'Public Chatrooms', hidden: false }],
        a: { serviceName: 'conference' },
      },
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /chatservices': 1 });
  });

  it('answers null for an absent service', async () => {
    expect((await g.gql('{ chatService(serviceName: "nope") { serviceName } }')).body).toEqual({
      data: { chatService: null },
    });
  });

  it('lists public rooms by default, every room with type ALL, sorted by name', async () => {
    const res = await g.gql(
      `{ chatServices { rooms { totalCount nodes { roomName service } } } all: chatRooms(type: ALL) { nodes { roomName } } }`,
    );
    expect(res.body.data.chatServices[0].rooms).toEqual({
      totalCount: 1,
      nodes: [{ roomName: 'lobby', service: 'conference' }],
    });
    expect(res.body.data.all.nodes).toEqual([{ roomName: 'dev' }, { roomName: 'lobby' }]);
  });

  it('searches room and natural names, and natural names with spaces Openfire cannot search', async () => {
    (await g.ready).edit((draft) => {
      defined(serviceIn(draft, 'conference'), 'chat service "conference"').rooms.push(
        roomRecord('sales', 0, { naturalName: 'Sales Team' }),
      );
    });
    const res = await g.gql(
      '{ a: chatRooms(search: "velop", type: ALL) { nodes { roomName } } b: chatRooms(search: "les tea") { nodes { roomName } } }',
    );
    expect(res.body).toEqual({ data: { a: { nodes: [{ roomName: 'dev' }] }, b: { nodes: [{ roomName: 'sales' }] } } });
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /chatrooms': 2 });
  });

  it('pages rooms with first and after', async () => {
    const first = await g.gql(
      '{ chatRooms(type: ALL, first: 1) { totalCount nodes { roomName } pageInfo { hasNextPage endCursor } } }',
    );
    expect(first.body.data.chatRooms).toMatchObject({
      totalCount: 2,
      nodes: [{ roomName: 'dev' }],
      pageInfo: { hasNextPage: true },
    });
    const next = await g.gql(
      'query($after: String) { chatRooms(type: ALL, after: $after) { nodes { roomName } pageInfo { hasNextPage } } }',
      {
        after: first.body.data.chatRooms.pageInfo.endCursor,
      },
    );
    expect(next.body.data.chatRooms).toEqual({ nodes: [{ roomName: 'lobby' }], pageInfo: { hasNextPage: false } });
  });

  it('reports an unknown service as NOT_FOUND for room lists', async () => {
    const res = await g.gql('{ chatRooms(service: "nope") { totalCount } }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND', exception: 'MUCServiceNotFoundException' });
  });
});

describe('chat service mutations', () => {
  it('creates a service and returns it as Openfire reads it back', async () => {
    const res = await g.gql(
      'mutation { createChatService(serviceName: "support", description: "Help desk", hidden: true) { serviceName description hidden } }',
    );
    expect(res.body.data.createChatService).toEqual({ serviceName: 'support', description: 'Help desk', hidden: true });
    expect(serviceIn(await state(), 'support')).toMatchObject({
      description: 'Help desk',
      hidden: true,
    });
    expect((await g.upstreamCalls()).routes).toEqual({ 'POST /chatservices': 1, 'GET /chatservices': 1 });
  });

  it('reports an existing service as CONFLICT', async () => {
    const res = await g.gql('mutation { createChatService(serviceName: "conference") { serviceName } }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', exception: 'AlreadyExistsException' });
  });

  it('rejects an invalid subdomain before calling Openfire', async () => {
    const res = await g.gql('mutation { createChatService(serviceName: "help desk") { serviceName } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('creates rooms in bulk, leaves existing ones alone and reports each room in input order', async () => {
    const lobbyBefore = roomIn(await state(), 'lobby');
    const res = await g.gql(`mutation {
      createChatRooms(rooms: [{ roomName: "Alpha", naturalName: "Alpha" }, { roomName: "lobby" }, { roomName: "beta", members: ["john"] }]) {
        roomName success message room { roomName naturalName persistent members { jid } }
      }
    }`);
    expect(res.body.data.createChatRooms).toEqual([
      {
        roomName: 'alpha',
        success: true,
        message: 'Room was successfully created',
        room: { roomName: 'alpha', naturalName: 'Alpha', persistent: true, members: [] },
      },
      {
        roomName: 'lobby',
        success: false,
        message: 'Room exists; not overwritten',
        room: expect.objectContaining({ roomName: 'lobby' }),
      },
      {
        roomName: 'beta',
        success: true,
        message: 'Room was successfully created',
        room: { roomName: 'beta', naturalName: null, persistent: true, members: [{ jid: 'john@example.org' }] },
      },
    ]);
    expect(roomIn(await state(), 'lobby')).toEqual(lobbyBefore);
    // One list finds the existing rooms (and primes the cache, so lobby is not read again), one bulk call, then one
    // read per created room.
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /chatrooms': 1,
      'POST /chatrooms/bulk': 1,
      'GET /chatrooms/{roomName}': 2,
    });
  });

  it('reports Openfire’s per-room failures of a bulk creation', async () => {
    const res = await g.gql(
      'mutation { createChatRooms(rooms: [{ roomName: "gamma", owners: ["jane"], members: ["jane@example.org"] }]) { roomName success message room { roomName } } }',
    );
    expect(res.body.data.createChatRooms).toEqual([
      { roomName: 'gamma', success: false, message: expect.stringContaining('duplicate affiliations'), room: null },
    ]);
  });

  it('rejects a room name given twice before calling Openfire', async () => {
    const res = await g.gql('mutation { createChatRooms(rooms: [{ roomName: "x" }, { roomName: "X" }]) { roomName } }');
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});
