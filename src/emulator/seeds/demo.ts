import { emptySnapshot, type Snapshot } from '../store.js';
import { userRecord } from './builders.js';
import { defaultProperties, type PropertySettings } from './properties.js';

/** When the demo server "booted": fixed, so demo data is the same on every start. */
export const DEMO_BOOT = Date.UTC(2026, 0, 1, 9, 0, 0);

/** No users, groups or rooms; the properties and MUC service of a fresh install. */
export function emptySeed(settings: PropertySettings): Snapshot {
  return {
    ...emptySnapshot(),
    properties: defaultProperties(settings),
    services: [{ serviceName: 'conference', description: 'Public Chatrooms', hidden: false, rooms: [] }],
  };
}

/** Openfire's demo boot data: admin, John and Jane (each in the other's roster), the `conference` service. */
export function demoSeed(settings: PropertySettings): Snapshot {
  const { domain } = settings;
  return {
    ...emptySeed(settings),
    users: [
      userRecord('admin', 'Administrator', 'admin@example.com', 'admin', DEMO_BOOT),
      userRecord('jane', 'Jane Doe', 'jane.doe@example.com', 'secret', DEMO_BOOT),
      userRecord('john', 'John Doe', 'john.doe@example.com', 'secret', DEMO_BOOT),
    ],
    rosters: {
      john: [{ jid: `jane@${domain}`, nickname: 'Jane', subscription: 3, groups: [] }],
      jane: [{ jid: `john@${domain}`, nickname: 'John', subscription: 3, groups: [] }],
    },
  };
}
