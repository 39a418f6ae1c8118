import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/emulator/store.js';
import { putGroup, putRoom, useEmulator } from '../helpers/emulator.js';
import { goldenPayloads, goldenLobby as lobby } from '../helpers/fixtures.js';

/**
 * Every response recorded from the real plugin (test/fixtures/golden-payloads.json) reproduced byte for byte. The recordings come
 * from mocked controllers, so each one gets the state its mock held; XML dates are in CET as the recording's JVM was.
 */
const goldens = goldenPayloads();

const t = useEmulator({ timeZone: 'CET' });

/** The state each recording's mocked controller stood for. */
function arrange(test: string, state: Snapshot): void {
  if (/^get(Status|Nodes?)/.test(test)) {
    state.cluster = {
      enabled: true,
      status: 'SENIOR AND ONLY MEMBER',
      nodes: [
        {
          hostName: 'node1.example.org (198.51.100.1)',
          nodeID: '52a89928-1111-1111-1111-096de07400ac',
          joinedTime: 1644246591517,
          seniorMember: false,
        },
        {
          hostName: 'node2.example.org (198.51.100.2)',
          nodeID: '52a89928-2222-2222-2222-096de07400ac',
          joinedTime: 1641256861924,
          seniorMember: true,
        },
      ],
    };
  } else if (test.startsWith('getOccupants')) {
    putRoom(
      state,
      lobby({
        affiliations: { 'admin@example.org': 'owner', 'jane@example.org': 'member' },
        occupants: [
          { nickname: 'jane', userAddress: 'jane@example.org/converse.js-131754909', role: 'participant' },
          { nickname: 'John', userAddress: 'john@example.org/converse.js-57890634', role: 'participant' },
        ],
      }),
    );
  } else if (test.startsWith('removeMemberGroup')) {
    putGroup(state, { name: 'test group' });
    putRoom(state, lobby({ groupAffiliations: { 'test group': 'member' } }));
  } else if (test.startsWith('addMemberGroup')) {
    putGroup(state, { name: 'test group' });
    putRoom(state, lobby());
  } else if (test.startsWith('removeMember')) {
    putRoom(state, lobby({ affiliations: { 'admin@example.org': 'owner', 'jane@example.org': 'member' } }));
  } else if (test.includes('ChatRoom') || test.startsWith('addMember')) {
    putRoom(state, lobby());
  }
}

function parseRequest(request: string): { method: string; path: string; accept: string } {
  const m = /^(\w+) \/plugins\/restapi\/v1(\S.*) \(Accept: ([^)]+)\)$/.exec(request);
  if (!m) throw new Error(`unparsable golden request: ${request}`);
  const [, method = '', path = '', accept = ''] = m;
  return { method, path: path.split('/').map(encodeURIComponent).join('/'), accept };
}

describe('golden payloads recorded from the real plugin', () => {
  it('has recordings to replay', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(30);
  });

  for (const golden of goldens) {
    it(`${golden.test}: ${golden.request} → ${golden.status}`, async () => {
      (await t.ready).edit((draft) => arrange(golden.test, draft));
      const { method, path, accept } = parseRequest(golden.request);
      const res = await t.api(method, path, {
        accept,
        ...(golden.requestContentType !== undefined && { contentType: golden.requestContentType }),
        ...(golden.requestBody && { body: golden.requestBody }),
      });
      expect(res.status).toBe(golden.status);
      if (golden.body !== null) {
        expect(res.headers['content-type']).toBe(golden.contentType);
        expect(res.text).toBe(golden.body);
      }
    });
  }
});
