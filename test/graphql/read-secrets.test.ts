import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { schema } from '../../src/schema/index.js';
import { SECRET, setProperty, settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

/**
 * A read-only key reaches no credential, through any field: every query of the schema is asked with every field it
 * leads to (three levels deep), on data holding credentials where Openfire keeps them — a system property, an audit
 * entry of the admin console, a user property, a room password, and the REST API's own secret — and no answer may
 * contain one of them.
 */
const PLANTED = {
  property: 'planted-property-Zq1',
  audit: 'planted-audit-Zq2',
  userProperty: 'planted-user-property-Zq3',
  room: 'planted-room-password-Zq4',
};

const g = useGateway({
  seed: showcaseSeed(settings),
  apiKeys: new Map([
    ['admin-key', 'admin'],
    ['read-key', 'read'],
  ]),
});

/** Values for required arguments, by argument name (and by field where one name means different things). */
const ARGUMENTS: Record<string, string> = {
  'chatRoom.name': 'dev',
  'group.name': 'developers',
  'chatService.serviceName': 'conference',
  'systemProperty.key': 'ldap.adminPassword',
  'unreadMessageCount.jid': 'jane@example.org',
  'user.username': 'jane',
  'node.id': 'node1',
};

function argumentValue(field: string, arg: GraphQLArgument): string | null {
  const named = getNamedType(arg.type);
  const given = ARGUMENTS[`${field}.${arg.name}`];
  if (given !== undefined) return JSON.stringify(given);
  if (!isNonNullType(arg.type)) return null;
  if (isEnumType(named)) return named.getValues()[0]?.name ?? null;
  if (isScalarType(named) && named.name === 'String') return JSON.stringify('jane');
  throw new Error(`no value for the required argument ${field}(${arg.name}: ${String(arg.type)})`);
}

/** A field with its arguments, and for an object its own fields while `depth` lasts; `null` when it cannot be asked. */
function fieldSelection(field: GraphQLField<unknown, unknown>, depth: number): string | null {
  if (field.args.some((a) => isNonNullType(a.type) && isInputObjectType(getNamedType(a.type)))) return null;
  const args = field.args.flatMap((a) => {
    const value = argumentValue(field.name, a);
    return value === null ? [] : [`${a.name}: ${value}`];
  });
  const head = args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name;
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return head;
  if (depth === 0) return null;
  const inner = selection(named, depth - 1);
  return inner === '' ? null : `${head} { ${inner} }`;
}

function selection(type: GraphQLNamedType, depth: number): string {
  if (!isObjectType(type)) return '';
  return Object.values(type.getFields())
    .map((field) => fieldSelection(field, depth))
    .filter((part) => part !== null)
    .join(' ');
}

describe('what a read-only key sees', () => {
  it('holds no credential, in any field any query reaches', async () => {
    const e = await g.ready;
    e.edit((draft) => {
      setProperty(draft, 'ldap.adminPassword', PLANTED.property);
      draft.securityLog.push({
        logId: 3,
        username: 'admin',
        timestamp: 1_767_261_600,
        summary: 'set server property ldap.adminPassword',
        node: 'node1',
        details: `ldap.adminPassword = ${PLANTED.audit}`,
      });
      const jane = draft.users.find((u) => u.username === 'jane');
      if (jane) jane.properties['api.token'] = PLANTED.userProperty;
      const dev = draft.services[0]?.rooms.find((r) => r.roomName === 'dev');
      if (dev) dev.password = PLANTED.room;
    });
    const secrets = [...Object.values(PLANTED), SECRET];
    const leaks: string[] = [];
    const reachable = new Set<string>();
    const roots = Object.values(schema.getQueryType()?.getFields() ?? {});
    expect(roots.length).toBeGreaterThan(10);
    // One root field per request keeps each within the gateway's document limits.
    for (const root of roots) {
      const text = `{ ${fieldSelection(root, 3)} }`;
      const read = JSON.stringify((await g.gql(text, {}, { authorization: 'Bearer read-key' })).body);
      const admin = JSON.stringify((await g.gql(text, {}, { authorization: 'Bearer admin-key' })).body);
      for (const secret of secrets) {
        if (read.includes(secret)) leaks.push(`${root.name}: ${secret}`);
        if (admin.includes(secret)) reachable.add(secret);
      }
    }
    expect(leaks).toEqual([]);
    // The admin's answers show that the planted values are really reachable through these fields.
    expect([...reachable].sort()).toEqual([...secrets].sort());
  });
});
