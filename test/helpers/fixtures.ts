import { roomRecord } from '../../src/emulator/seeds/builders.js';
import type { RoomRecord } from '../../src/emulator/store.js';

/** The room of the plugin's backward-compatibility recordings (golden-payloads.json), dated as they are. */
export const goldenLobby = (overrides: Partial<RoomRecord> = {}): RoomRecord =>
  roomRecord('lobby', 1644246591517, {
    naturalName: 'Lobby',
    description: 'Welcome in our lobby!',
    subject: 'Introduction to XMPP',
    modificationDate: 1644246591538,
    affiliations: { 'admin@example.org': 'owner', 'john@example.org': 'admin', 'jane@example.org': 'admin' },
    ...overrides,
  });
