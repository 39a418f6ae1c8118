import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodableEntity, DecodeError, decodeEntity } from '../../src/upstream/codec/decode.js';
import { arbitraries } from './decode-arbitraries.js';
import { renderOptions, shapes } from './decode-shapes.js';

/**
 * Every decodable entity, rendered in every historical shape (openfire-rest-api.md §10), decodes back to the canonical
 * value.
 */
const entities = Object.keys(arbitraries) as DecodableEntity[];

describe.each(entities)('decoding %s', (entity) => {
  it.each(Object.entries(shapes))('reads the %s shape', (_name, shape) => {
    fc.assert(
      fc.property(arbitraries[entity], renderOptions, (value, options) => {
        const { body, format, expected } = shape(entity, value, options);
        expect(decodeEntity(entity, body, format)).toStrictEqual(expected);
      }),
      { numRuns: 50 },
    );
  });
});

const fromJson = <E extends DecodableEntity>(entity: E, body: unknown) =>
  decodeEntity(entity, JSON.stringify(body), 'json');

describe('decoding older and looser shapes', () => {
  it('reads a bare object where a list is expected, under the current key', () => {
    const users = fromJson('users', { users: { username: 'a', name: '', properties: { '@key': 'k', '@value': 'v' } } });
    expect(users).toStrictEqual([{ username: 'a', name: null, email: null, properties: [{ key: 'k', value: 'v' }] }]);
  });

  it('reads wrapper objects with a single string item', () => {
    const room = fromJson('chatRoom', { roomName: 'r', owners: { owner: 'a@b' }, members: { member: ['c@d', 'e@f'] } });
    expect([room.owners, room.members, room.admins]).toStrictEqual([['a@b'], ['c@d', 'e@f'], []]);
  });

  it('reads numbers, booleans and dates written as strings', () => {
    const room = fromJson('chatRoom', {
      roomName: 'r',
      maxUsers: '30',
      persistent: 'TRUE',
      creationDate: '2022-02-07T16:09:51.517+01:00',
      modificationDate: '1644246591538',
    });
    expect([room.maxUsers, room.persistent, room.creationDate, room.modificationDate]).toStrictEqual([
      30,
      true,
      1644246591517,
      1644246591538,
    ]);
  });

  it('takes absent ints and booleans as Java defaults and null values as absent', () => {
    const room = fromJson('chatRoom', { roomName: 'r', maxUsers: null, persistent: null, owner: null, allowPM: null });
    expect([room.maxUsers, room.persistent, room.owners, room.allowPM]).toStrictEqual([0, false, [], null]);
  });

  it('reads indented XML, empty wrappers and nil elements', () => {
    const xml = `<?xml version="1.0"?>
<user xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <username>007</username>
  <name xsi:nil="true"/>
  <email>james@example.org</email>
  <properties>
  </properties>
</user>
`;
    const user = decodeEntity('user', xml, 'xml');
    expect(user).toStrictEqual({ username: '007', name: null, email: 'james@example.org', properties: [] });
  });

  it('reads a security log timestamp in seconds and a history delay stamp as an ISO string', () => {
    const logs = '<logs><log><logId>1</logId><timestamp>1644246591</timestamp><username>a</username></log></logs>';
    const [log] = decodeEntity('logs', logs, 'xml');
    const [message] = fromJson('messages', { message: [{ body: 'hi', delay_stamp: '2022-02-07T15:09:51.517Z' }] });
    expect([log?.timestamp, message?.delayStamp]).toStrictEqual([1644246591000, 1644246591517]);
  });

  it('ignores unknown fields', () => {
    const archive = fromJson('archive', { jid: 'a@b', count: 2, unread: [1, 2], extra: { x: 1 } });
    expect(archive).toStrictEqual({ jid: 'a@b', count: 2 });
  });
});

const jettyPage = `<html>
<head>
<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>
<title>Error 500 Request failed.</title>
</head>
<body><h2>HTTP ERROR 500</h2>
<p>Problem accessing /plugins/restapi/v1/users. Reason:
<pre>    Request failed.</pre></p><hr><a href="https://eclipse.org/jetty">Powered by Jetty:// 9.4.43</a><hr/>
</body>
</html>`;

// A container error page with a JSON Accept (openfire-rest-api.md §4.6).
const jettyJson = JSON.stringify({ servlet: 'PluginServlet', message: 'Request failed.', url: '/x', status: '500' });
// Same root element as the session list (openfire-rest-api.md §7.12).
const sessionCounts = '<sessions><clusterSessions>0</clusterSessions><localSessions>1</localSessions></sessions>';

const malformed: ReadonlyArray<readonly [string, DecodableEntity, string, 'json' | 'xml']> = [
  ['a Jetty HTML page read as XML', 'users', jettyPage, 'xml'],
  ['a Jetty HTML page read as JSON', 'users', jettyPage, 'json'],
  ['well-formed XHTML', 'users', '<html><head><title>Login</title></head><body><p>Sign in</p></body></html>', 'xml'],
  ['truncated JSON', 'users', '{"users":[{"username":"a"', 'json'],
  ['truncated XML', 'user', '<user><username>a</username>', 'xml'],
  ['an empty JSON body', 'chatRooms', '', 'json'],
  ['an empty XML body', 'chatRooms', '', 'xml'],
  ['two XML roots', 'user', '<user><username>a</username></user><user/>', 'xml'],
  ['a JSON array as a list response', 'users', '[{"username":"a"}]', 'json'],
  ['a JSON string as a list response', 'sessions', '"sessions"', 'json'],
  ['JSON null as a list response', 'logs', 'null', 'json'],
  ['a container error object as a list', 'groups', jettyJson, 'json'],
  ['an error entity as a user', 'user', '<error><exception>E</exception><message>m</message></error>', 'xml'],
  ['a user without username', 'user', '{"name":"Jean-Luc","properties":[]}', 'json'],
  ['a room without roomName', 'chatRoom', '{"naturalName":"Lobby"}', 'json'],
  ['a roster item without jid', 'roster', '{"rosterItem":[{"nickname":"John"}]}', 'json'],
  ['a session without sessionId', 'sessions', '{"sessions":[{"username":"a"}]}', 'json'],
  ['a property without key', 'property', '<property value="v"/>', 'xml'],
  ['session counts read as a session list', 'sessions', sessionCounts, 'xml'],
  ['a session list read as session counts', 'sessionCounts', '{"sessions":[]}', 'json'],
  ['a user group list read as a group list', 'groups', '<groups><groupname>a</groupname></groups>', 'xml'],
  ['a group list read as user groups', 'userGroups', '{"groups":[{"name":"g","shared":false}]}', 'json'],
  ['a bulk result of an unknown type', 'bulkResults', '{"success":[{"roomName":"r","resultType":"Maybe"}]}', 'json'],
];

describe('malformed and wrong bodies', () => {
  it.each(malformed)('rejects %s with a DecodeError', (_name, entity, body, format) => {
    expect(() => decodeEntity(entity, body, format)).toThrow(DecodeError);
  });

  it('names the entity in the message', () => {
    expect(() => decodeEntity('user', '{}', 'json')).toThrow('user: missing "username"');
  });
});
