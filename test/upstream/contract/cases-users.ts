import { expect, it } from 'vitest';
import { badRequest, conflict, notFound, rejects } from './assertions.js';
import type { Contract } from './target.js';

/** openfire-rest-api.md §5.1 users and §5.3 lockouts. */
export function userCases({ client, target, fx, cases }: Contract): void {
  const unknownUser = (username: string) => notFound('UserNotFoundException', username);
  // A lockout is keyed by the raw name and may outlive the user on a real server.
  const unlockAfterwards = (username: string) =>
    fx.defer(() => target.admin.call('DELETE /lockouts/{username}', { path: { username } }));

  cases('GET /users', () => {
    it('lists the users whose username contains the search text, in username order', async () => {
      const prefix = fx.name('list');
      const b = await fx.user({ username: `${prefix}-b` });
      const a = await fx.user({ username: `${prefix}-a`, name: null, email: null });
      expect(await client.call('GET /users', { query: { search: prefix } })).toEqual([a, b]);
    });

    it('lists the users holding a property value when asked by property key', async () => {
      const key = fx.name('key');
      const holder = await fx.user({ properties: [{ key, value: 'yes' }] });
      await fx.user({ properties: [{ key, value: 'no' }] });
      expect(await client.call('GET /users', { query: { propertyKey: key, propertyValue: 'yes' } })).toEqual([holder]);
    });
  });

  cases('POST /users', () => {
    it('creates a user that reads back with its name, email and properties', async () => {
      const username = fx.fresh('user');
      const properties = [{ key: 'tea', value: 'earlgreyhot' }];
      const body = { username, password: 'engage', name: 'Jean-Luc', email: 'jlp@example.com', properties };
      expect(await client.call('POST /users', { body })).toBeUndefined();
      expect(await client.call('GET /users/{username}', { path: { username } })).toEqual({
        username,
        name: 'Jean-Luc',
        email: 'jlp@example.com',
        properties,
      });
    });

    it('fails with CONFLICT UserAlreadyExistsException for an existing username', async () => {
      const { username } = await fx.user();
      await rejects(
        client.call('POST /users', { body: { username, password: 'again' } }),
        conflict('UserAlreadyExistsException', username),
      );
    });

    it('fails with BAD_REQUEST PasswordIsNull without a password', async () => {
      const username = fx.fresh('user');
      await rejects(client.call('POST /users', { body: { username } }), badRequest('PasswordIsNull', username));
    });
  });

  cases('GET /users/{username}', () => {
    it('returns the user as the canonical model', async () => {
      const john = await fx.user();
      expect(await client.call('GET /users/{username}', { path: { username: john.username } })).toEqual(john);
    });

    it('reports an unset name and email as null', async () => {
      const { username } = await fx.user({ name: null, email: null });
      expect(await client.call('GET /users/{username}', { path: { username } })).toMatchObject({
        name: null,
        email: null,
      });
    });

    it('fails with NOT_FOUND UserNotFoundException for an unknown user', async () => {
      const username = fx.name('nobody');
      await rejects(client.call('GET /users/{username}', { path: { username } }), unknownUser(username));
    });
  });

  cases('PUT /users/{username}', () => {
    it('updates name, email and properties, which read back', async () => {
      const { username } = await fx.user({ properties: [{ key: 'old', value: 'gone' }] });
      const body = { name: 'Johnny', email: 'johnny@example.com', properties: [{ key: 'new', value: 'kept' }] };
      expect(await client.call('PUT /users/{username}', { path: { username }, body })).toBeUndefined();
      expect(await client.call('GET /users/{username}', { path: { username } })).toEqual({ username, ...body });
    });

    it('fails with NOT_FOUND UserNotFoundException for an unknown user', async () => {
      const username = fx.name('nobody');
      await rejects(
        client.call('PUT /users/{username}', { path: { username }, body: { name: 'Ghost', properties: [] } }),
        unknownUser(username),
      );
    });
  });

  cases('DELETE /users/{username}', () => {
    it('deletes the user, who then is not found', async () => {
      const { username } = await fx.user();
      expect(await client.call('DELETE /users/{username}', { path: { username } })).toBeUndefined();
      await rejects(client.call('GET /users/{username}', { path: { username } }), unknownUser(username));
    });

    it('fails with NOT_FOUND UserNotFoundException for an unknown user', async () => {
      const username = fx.name('nobody');
      await rejects(client.call('DELETE /users/{username}', { path: { username } }), unknownUser(username));
    });
  });

  // No endpoint reads lockouts back, so the state is checked on the emulator only.
  cases('POST /lockouts/{username}', () => {
    it('locks the user out', async () => {
      const { username } = await fx.user();
      unlockAfterwards(username);
      expect(await client.call('POST /lockouts/{username}', { path: { username } })).toBeUndefined();
      if (target.emulator) expect(target.emulator.snapshot().lockouts).toContain(username);
    });

    it('fails with NOT_FOUND UserNotFoundException for an unknown user', async () => {
      const username = fx.name('nobody');
      await rejects(client.call('POST /lockouts/{username}', { path: { username } }), unknownUser(username));
    });
  });

  cases('DELETE /lockouts/{username}', () => {
    it('lifts the lockout', async () => {
      const { username } = await fx.user();
      await target.admin.call('POST /lockouts/{username}', { path: { username } });
      unlockAfterwards(username);
      expect(await client.call('DELETE /lockouts/{username}', { path: { username } })).toBeUndefined();
      if (target.emulator) expect(target.emulator.snapshot().lockouts).not.toContain(username);
    });

    it('fails with NOT_FOUND UserNotFoundException for an unknown user', async () => {
      const username = fx.name('nobody');
      await rejects(client.call('DELETE /lockouts/{username}', { path: { username } }), unknownUser(username));
    });
  });
}
