import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoTokens } from '../src/auth/demo.js';
import { showcaseSeed } from '../src/emulator/seeds/showcase.js';
import { nodeprep } from '../src/xmpp/jid.js';
import { settings } from './helpers/emulator.js';
import { useGateway } from './helpers/gateway.js';
import { useLegacy } from './helpers/legacy.js';

/** The README's examples, run against the data `npm start` serves: each answers what the README shows. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** `-H 'Authorization: …'` then `-d '<body>'` lines, each followed by a `# <answer>` line. */
const graphqlExamples = [
  ...readme.matchAll(/-H 'Authorization: ([^']*)'.*\n\s*-d '(\{"query".*\})'\n# (\{.*\})\n/g),
].map((m) => ({
  // The printed user token is shortened in the README: any token for jane stands in for it.
  asUser: (m[1] ?? '').startsWith('Bearer '),
  body: JSON.parse(m[2] ?? '') as { query: string },
  answer: JSON.parse(m[3] ?? '') as unknown,
}));

const legacyExample = /curl '[^']*(\/userservice\?[^']*)'\n# (.*)\n/.exec(readme);
const legacySecret = /USERSERVICE_SECRET=(\S+) npm start/.exec(readme)?.[1] ?? '';

/** Embedded mode's own token issuer, as `npm start` makes it. */
const demo = await demoTokens({ nodeprep });

describe('the README examples', () => {
  const gateway = useGateway({ seed: showcaseSeed(settings), tokens: demo.verifier });
  const legacy = useLegacy({ seed: showcaseSeed(settings), legacy: { secret: legacySecret } });

  it('has a query, a mutation and an end user’s query, each answered as shown', async () => {
    expect(graphqlExamples.map((e) => [e.body.query.trim().split(' ')[0], e.asUser])).toEqual([
      ['{', false],
      ['mutation', false],
      ['{', true],
    ]);
    const userToken = `Bearer ${await demo.sign('jane')}`;
    for (const { body, answer, asUser } of graphqlExamples) {
      const options = asUser ? { authorization: userToken } : {};
      expect((await gateway.gql(body.query, {}, options)).body).toEqual(answer);
    }
  });

  it('has a legacy call answered as shown', async () => {
    expect(legacySecret).not.toBe('');
    const query = new URL(legacyExample?.[1] ?? '/missing', 'http://gateway').searchParams.toString();
    expect((await legacy.send(query)).text.trim()).toBe(legacyExample?.[2]);
  });
});
