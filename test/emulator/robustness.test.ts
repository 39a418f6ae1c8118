import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';

/** Arbitrary input never crashes the emulator: every request gets an HTTP answer and the server keeps serving. */
const t = useEmulator();

const statuses = new Set([200, 201, 204, 400, 401, 403, 404, 405, 406, 409, 413, 415, 500]);

const segment = fc.oneof(
  fc.constantFrom(
    'users',
    'groups',
    'chatrooms',
    'roster',
    'members',
    'owners',
    'system',
    'properties',
    'sessions',
    'john',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

describe('robustness against arbitrary input', () => {
  it('answers arbitrary paths and methods with an HTTP status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'),
        fc.array(segment, { maxLength: 5 }),
        async (method, parts) => {
          const res = await t.api(method, `/${parts.join('/')}`);
          expect(statuses).toContain(res.status);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers arbitrary JSON bodies on entity endpoints with an HTTP status', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'POST /users',
          'PUT /users/john',
          'POST /groups',
          'POST /chatrooms',
          'POST /system/properties',
          'POST /users/jane/roster',
          'POST /chatrooms/bulk',
        ),
        fc.jsonValue({ maxDepth: 3 }),
        async (route, body) => {
          const [method = 'POST', path = '/'] = route.split(' ');
          const res = await t.api(method, path, { body: JSON.stringify(body), contentType: 'application/json' });
          expect(statuses).toContain(res.status);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers arbitrary XML-ish bodies with an HTTP status', async () => {
    const xmlish = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ maxLength: 20 }).map((s) => `<user><username>${s}</username><password>${s}</password></user>`),
      fc
        .string({ maxLength: 20 })
        .map((s) => `<group><name>${s}</name><members><member>${s}</member></members><admins/></group>`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/users', '/groups', '/chatrooms'), xmlish, async (path, body) => {
        const res = await t.api('POST', path, { body, contentType: 'application/xml' });
        expect(statuses).toContain(res.status);
      }),
      { numRuns: 150 },
    );
    expect((await t.api('GET', '/users/john')).status).toBe(200);
  });
});
