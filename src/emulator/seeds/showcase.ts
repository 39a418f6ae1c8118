import { newGroup } from '../domain.js';
import type { Snapshot } from '../store.js';
import { roomRecord, sessionRecord, userRecord } from './builders.js';
import { DEMO_BOOT, demoSeed } from './demo.js';
import type { PropertySettings } from './properties.js';

const minutes = (n: number): number => DEMO_BOOT + n * 60_000;

/**
 * The demo data plus what only live XMPP traffic would create (sessions, room occupants, history, audit entries,
 * unread archive counts) and some groups and rooms, so every GraphQL relation has something to show.
 */
export function showcaseSeed(settings: PropertySettings): Snapshot {
  const { domain } = settings;
  const demo = demoSeed(settings);
  const at = (u: string): string => `${u}@${domain}`;
  const developers = newGroup('developers', 'Product developers', 'onlyGroup');
  developers.admins = [at('jane')];
  developers.members = [at('john'), at('alice')];
  const support = newGroup('support', 'Customer support', 'nobody');
  support.members = [at('bob'), at('john')];
  const conference = `conference.${domain}`;
  const lobby = roomRecord('lobby', minutes(5), {
    naturalName: 'Lobby',
    description: 'Welcome in our lobby!',
    subject: 'Introduction to XMPP',
    affiliations: { [at('admin')]: 'owner', [at('jane')]: 'admin', [at('john')]: 'member', [at('alice')]: 'member' },
    groupAffiliations: { support: 'member' },
    occupants: [
      { nickname: 'jane', userAddress: `${at('jane')}/laptop`, role: 'moderator' },
      { nickname: 'John', userAddress: `${at('john')}/phone`, role: 'participant' },
      { nickname: 'alice', userAddress: `${at('alice')}/web`, role: 'visitor' },
    ],
    history: [
      {
        from: `lobby@${conference}/jane`,
        to: `lobby@${conference}`,
        type: 'groupchat',
        body: 'Good morning!',
        stamp: minutes(30),
        delayFrom: `lobby@${conference}`,
      },
      {
        from: `lobby@${conference}/John`,
        to: `lobby@${conference}`,
        type: 'groupchat',
        body: 'Morning, Jane.',
        stamp: minutes(31),
        delayFrom: `lobby@${conference}`,
      },
    ],
  });
  const dev = roomRecord('dev', minutes(6), {
    naturalName: 'Development',
    description: 'Developers only',
    membersOnly: true,
    publicRoom: false,
    affiliations: { [at('jane')]: 'owner', [at('bob')]: 'outcast' },
    groupAffiliations: { developers: 'member' },
  });
  return {
    ...demo,
    users: [
      ...demo.users,
      userRecord('alice', 'Alice Liddell', 'alice@example.com', 'secret', minutes(1)),
      userRecord('bob', 'Bob Builder', null, 'secret', minutes(2)),
    ].sort((a, b) => (a.username < b.username ? -1 : 1)),
    groups: [developers, support],
    services: demo.services.map((s) => ({ ...s, rooms: [lobby, dev] })),
    sessions: [
      sessionRecord('jane', domain, 'laptop', minutes(20), { presenceMessage: 'At my desk', priority: 5 }),
      sessionRecord('john', domain, 'phone', minutes(21), { presenceStatus: 'Away', secure: false }),
    ],
    securityLog: [
      {
        logId: 1,
        username: 'admin',
        timestamp: minutes(3) / 1000,
        summary: 'created new user alice',
        node: 'node1',
        details: 'name = Alice Liddell, email = alice@example.com, admin = false',
      },
      {
        logId: 2,
        username: 'admin',
        timestamp: minutes(4) / 1000,
        summary: 'created new user bob',
        node: 'node1',
        details: 'name = Bob Builder, email = null, admin = false',
      },
    ],
    unread: { [at('john')]: 2, [at('alice')]: 5 },
  };
}
