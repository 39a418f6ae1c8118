import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const VCARD = '<vCard xmlns="vcard-temp"><FN>John Doe</FN><NICKNAME>johnny</NICKNAME></vCard>';

const t = useEmulator();

const put = (path: string, body: string, accept?: string) =>
  t.api('PUT', `/users/${path}/vcard`, { body, contentType: 'application/xml', ...(accept ? { accept } : {}) });

describe('GET /users/{username}/vcard', () => {
  it('answers 204 without body when the user has no vCard', async () => {
    const res = await t.api('GET', '/users/john/vcard');
    expect([res.status, res.text]).toEqual([204, '']);
  });

  it('returns the stored vCard as raw XML without prolog', async () => {
    await put('john', `<?xml version="1.0" encoding="UTF-8"?>\n<!-- card -->\n${VCARD}\n`);
    const res = await t.api('GET', '/users/john/vcard');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.text).toBe(VCARD);
  });

  it('answers 406 to a JSON-only Accept', async () => {
    await put('john', VCARD);
    expect((await t.api('GET', '/users/john/vcard', { accept: 'application/json' })).status).toBe(406);
  });

  it('uses the raw path value, reducing a JID on the local domain to its node', async () => {
    await put('john', VCARD);
    expect((await t.api('GET', '/users/John/vcard')).status).toBe(204);
    expect((await t.api('GET', '/users/john@example.org/vcard')).text).toBe(VCARD);
  });

  it('answers a mapped 500 UserNotFoundException for a JID on another domain', async () => {
    const xml = await t.api('GET', '/users/john@elsewhere.net/vcard');
    expect(xml.status).toBe(500);
    expect(xml.text).toBe(
      `${XML}<error><exception>UserNotFoundException</exception><message>This service cannot be used for non-local users.</message><resource>john@elsewhere.net</resource></error>`,
    );
  });
});

describe('PUT /users/{username}/vcard', () => {
  it('creates and then replaces a vCard, answering 200 without body', async () => {
    const first = await put('john', VCARD);
    expect([first.status, first.text]).toEqual([200, '']);
    await put('john', '<vCard xmlns="vcard-temp"><FN>J</FN></vCard>');
    expect((await t.api('GET', '/users/john/vcard')).text).toBe('<vCard xmlns="vcard-temp"><FN>J</FN></vCard>');
  });

  it('does not check that the user exists', async () => {
    expect((await put('ghost', VCARD)).status).toBe(200);
    expect((await t.api('GET', '/users/ghost/vcard')).text).toBe(VCARD);
  });

  it('answers 400 Could not parse the provided data as a vCard for malformed XML', async () => {
    const xml = await put('john', '<vCard xmlns="vcard-temp"><FN>John</vCard>');
    expect(xml.status).toBe(400);
    expect(xml.text).toBe(
      `${XML}<error><exception>IllegalArgumentException</exception><message>Could not parse the provided data as a vCard</message><resource>john</resource></error>`,
    );
    const json = await put('john', 'not xml', 'application/json');
    expect(json.text).toBe(
      '{"resource":"john","message":"Could not parse the provided data as a vCard","exception":"IllegalArgumentException"}',
    );
    expect((await t.api('GET', '/users/john/vcard')).status).toBe(204);
  });

  it('answers 400 for a well-formed document whose root is not a vCard', async () => {
    expect((await put('john', '<user><username>john</username></user>')).status).toBe(400);
  });

  it('answers 415 for a JSON body', async () => {
    expect((await t.api('PUT', '/users/john/vcard', { body: { FN: 'x' } })).status).toBe(415);
  });
});

describe('DELETE /users/{username}/vcard', () => {
  it('removes the vCard and answers 200, also when there is none', async () => {
    await put('john', VCARD);
    const res = await t.api('DELETE', '/users/john/vcard');
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await t.api('GET', '/users/john/vcard')).status).toBe(204);
    expect((await t.api('DELETE', '/users/john/vcard')).status).toBe(200);
  });

  it('answers a mapped 500 for a JID on another domain, as JSON when asked', async () => {
    const res = await t.api('DELETE', '/users/john@elsewhere.net/vcard', { accept: 'application/json' });
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({
      resource: 'john@elsewhere.net',
      message: 'This service cannot be used for non-local users.',
      exception: 'UserNotFoundException',
    });
  });
});

describe('a read-only vCard provider', () => {
  it('refuses PUT and DELETE with 409 and keeps the vCard', async () => {
    await put('john', VCARD);
    (await t.ready).edit((draft) => {
      draft.vcardReadOnly = true;
    });
    const message = 'Cannot update vCards in the system, as the vCard system is configured to be read-only.';
    for (const res of [
      await put('john', VCARD),
      await t.api('DELETE', '/users/john/vcard', { accept: 'application/json' }),
    ]) {
      expect(res.status).toBe(409);
    }
    const res = await t.api('DELETE', '/users/john/vcard', { accept: 'application/json' });
    expect(res.json()).toEqual({ resource: 'john', message, exception: 'IllegalArgumentException' });
    expect((await t.api('GET', '/users/john/vcard')).status).toBe(200);
  });
});
