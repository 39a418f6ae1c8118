import { newGroup } from '../domain.js';
import type { Affiliation, RoomRecord, Snapshot } from '../store.js';
import { roomRecord, sessionRecord, userRecord } from './builders.js';
import { DEMO_BOOT, demoSeed } from './demo.js';
import type { PropertySettings } from './properties.js';

/** Sizes of the deterministic data set built for benchmarks (`--users N --groups G --members M --rooms R`). */
export interface GeneratedSizes {
  readonly users: number;
  readonly groups: number;
  readonly members: number;
  readonly rooms: number;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * The demo data plus `users` users (`user00001`…), `groups` groups of `members` members each (members taken round
 * robin, the first one an admin), and `rooms` public rooms with an owner, two admins, five members, three occupants
 * and five history messages. The same sizes always give the same data.
 */
export function generatedSeed(settings: PropertySettings, sizes: GeneratedSizes): Snapshot {
  const { domain } = settings;
  const demo = demoSeed(settings);
  const width = Math.max(5, String(sizes.users).length);
  const names = Array.from({ length: sizes.users }, (_, i) => `user${pad(i + 1, width)}`);
  const jid = (i: number): string => `${names[i % names.length]}@${domain}`;
  const users = names.map((u, i) =>
    userRecord(u, `User ${pad(i + 1, width)}`, `${u}@example.com`, 'secret', DEMO_BOOT),
  );
  const groups = Array.from({ length: sizes.groups }, (_, g) => {
    const group = newGroup(`group${pad(g + 1, 4)}`, `Generated group ${g + 1}`, 'nobody');
    for (let m = 0; m < Math.min(sizes.members, sizes.users); m++) {
      (m === 0 ? group.admins : group.members).push(jid(g * sizes.members + m));
    }
    return group;
  });
  const service = `conference.${domain}`;
  const rooms: RoomRecord[] = Array.from({ length: sizes.rooms }, (_, r) => {
    const name = `room${pad(r + 1, 4)}`;
    const affiliations: Record<string, Affiliation> = {};
    if (sizes.users > 0) {
      const base = r * 8;
      affiliations[jid(base)] = 'owner';
      for (let k = 1; k <= 7; k++) affiliations[jid(base + k)] ??= k <= 2 ? 'admin' : 'member';
    }
    return roomRecord(name, DEMO_BOOT, {
      naturalName: `Room ${r + 1}`,
      description: `Generated room ${r + 1}`,
      affiliations,
      occupants:
        sizes.users === 0
          ? []
          : [0, 1, 2].map((k) => ({
              nickname: `nick${k}`,
              userAddress: `${jid(r * 8 + k)}/bench`,
              role: k === 0 ? 'moderator' : 'participant',
            })),
      history: Array.from({ length: sizes.users === 0 ? 0 : 5 }, (_, k) => ({
        from: `${name}@${service}/nick${k % 3}`,
        to: `${name}@${service}`,
        type: 'groupchat',
        body: `Message ${k + 1} in room ${r + 1}`,
        stamp: DEMO_BOOT + k * 1000,
        delayFrom: `${name}@${service}`,
      })),
    });
  });
  return {
    ...demo,
    users: [...demo.users, ...users],
    groups,
    services: demo.services.map((s) => ({ ...s, rooms })),
    sessions: names
      .slice(0, Math.min(50, names.length))
      .map((u, i) => sessionRecord(u, domain, 'bench', DEMO_BOOT + i)),
  };
}
