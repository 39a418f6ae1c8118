import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../../src/emulator/seeds/showcase.js';
import { settings } from '../helpers/emulator.js';
import { useGateway } from '../helpers/gateway.js';

const g = useGateway({ seed: showcaseSeed(settings) });
const state = async () => (await g.ready).snapshot();
const codeOf = (res: Awaited<ReturnType<typeof g.gql>>) => res.body.errors?.[0]?.extensions?.code;

describe('lockout mutations', () => {
  it('locks out the stored user whatever the case given, closing their sessions', async () => {
    const res = await g.gql('mutation { lockUser(username: "John") { username name } }');
    expect(res.body.data.lockUser).toEqual({ username: 'john', name: 'John Doe' });
    const { lockouts, sessions } = await state();
    expect(lockouts).toEqual(['john']);
    expect(sessions.map((s) => s.username)).toEqual(['jane']);
    expect((await g.upstreamCalls()).routes).toEqual({ 'GET /users/{username}': 1, 'POST /lockouts/{username}': 1 });
  });

  it('unlocks a user, also one that was not locked out', async () => {
    (await g.ready).edit((draft) => {
      draft.lockouts.push('john');
    });
    const res = await g.gql('mutation { unlockUser(username: "john") { username } }');
    expect(res.body.data.unlockUser).toEqual({ username: 'john' });
    expect((await state()).lockouts).toEqual([]);
    expect((await g.gql('mutation { unlockUser(username: "jane") { username } }')).body.data.unlockUser).toEqual({
      username: 'jane',
    });
  });

  it('answers NOT_FOUND for an unknown user and BAD_USER_INPUT for an invalid name before calling Openfire', async () => {
    expect((await g.gql('mutation { lockUser(username: "ghost") { username } }')).body.errors?.[0]?.extensions).toEqual(
      {
        code: 'NOT_FOUND',
        exception: 'UserNotFoundException',
      },
    );
    expect(codeOf(await g.gql('mutation { unlockUser(username: "ghost") { username } }'))).toBe('NOT_FOUND');
    expect((await state()).lockouts).toEqual([]);
    await g.resetCalls();
    expect(codeOf(await g.gql('mutation { lockUser(username: "a b") { username } }'))).toBe('BAD_USER_INPUT');
    expect((await g.upstreamCalls()).total).toBe(0);
  });
});
