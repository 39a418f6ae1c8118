import { readFileSync } from 'node:fs';
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

/** One exchange recorded from the plugin's own tests (test/fixtures/README.md says where they come from). */
export interface Golden {
  readonly source: string;
  readonly test: string;
  readonly request: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string | null;
  readonly requestContentType?: string;
  readonly requestBody?: string;
}

/** The recorded exchanges of test/fixtures/golden-payloads.json, in file order. */
export const goldenPayloads = (): Golden[] =>
  JSON.parse(readFileSync(new URL('../fixtures/golden-payloads.json', import.meta.url), 'utf8')) as Golden[];
