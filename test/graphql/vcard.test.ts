import { describe, expect, it } from 'vitest';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway();
const state = async () => (await g.ready).snapshot();
const codeOf = (res: Awaited<ReturnType<typeof g.gql>>) => res.body.errors?.[0]?.extensions?.code;

const VCARD = '<vCard xmlns="vcard-temp"><FN>John Doe</FN><NICKNAME>johnny</NICKNAME></vCard>';

describe('vCard queries', () => {
  it('reads a user’s vCard as raw XML, or null when there is none', async () => {
    (await g.ready).edit(({ vcards }) => {
      vcards.john = VCARD;
    });
    const res = await g.gql('{ john: user(username: "john") { vcard } jane: user(username: "jane") { vcard } }');
    expect(res.body.data).toEqual({ john: { vcard: VCARD }, jane: { vcard: null } });
  });
});

describe('vCard mutations', () => {
  it('sets a vCard and returns the user with the vCard read back', async () => {
    const res = await g.gql('mutation($v: String!) { setVCard(username: "John", vcard: $v) { username vcard } }', {
      v: `<?xml version="1.0"?>\n${VCARD}`,
    });
    expect(res.body.data.setVCard).toEqual({ username: 'john', vcard: VCARD });
    expect((await state()).vcards.john).toBe(VCARD);
    expect((await g.upstreamCalls()).routes).toEqual({
      'GET /users/{username}': 1,
      'PUT /users/{username}/vcard': 1,
      'GET /users/{username}/vcard': 1,
    });
  });

  it('rejects XML that is not well-formed before calling Openfire', async () => {
    const res = await g.gql('mutation { setVCard(username: "john", vcard: "<vCard><FN>x</vCard>") { username } }');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });

  it('passes on Openfire’s refusal of a document that is not a vCard', async () => {
    const res = await g.gql('mutation { setVCard(username: "john", vcard: "<note>hi</note>") { username } }');
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', exception: 'IllegalArgumentException' });
  });

  it('reports a read-only vCard store as CONFLICT and an unknown user as NOT_FOUND', async () => {
    (await g.ready).edit((draft) => {
      draft.vcardReadOnly = true;
    });
    const res = await g.gql(`mutation { setVCard(username: "john", vcard: ${JSON.stringify(VCARD)}) { username } }`);
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', exception: 'IllegalArgumentException' });
    (await g.ready).edit((draft) => {
      draft.vcardReadOnly = false;
    });
    const ghost = await g.gql(`mutation { setVCard(username: "ghost", vcard: ${JSON.stringify(VCARD)}) { username } }`);
    expect(codeOf(ghost)).toBe('NOT_FOUND');
    expect((await state()).vcards).not.toHaveProperty('ghost');
  });

  it('deletes a vCard, also when there is none', async () => {
    (await g.ready).edit(({ vcards }) => {
      vcards.john = VCARD;
    });
    expect((await g.gql('mutation { deleteVCard(username: "john") }')).body.data).toEqual({ deleteVCard: true });
    expect((await state()).vcards).not.toHaveProperty('john');
    expect((await g.gql('mutation { deleteVCard(username: "john") }')).body.data).toEqual({ deleteVCard: true });
    expect(codeOf(await g.gql('mutation { deleteVCard(username: "ghost") }'))).toBe('NOT_FOUND');
  });
});
