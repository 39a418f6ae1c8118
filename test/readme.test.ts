import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { showcaseSeed } from '../src/emulator/seeds/showcase.js';
import { settings } from './helpers/emulator.js';
import { useGateway } from './helpers/gateway.js';
import { useLegacy } from './helpers/legacy.js';

/** The README's examples, run against the data `npm start` serves: each answers what the README shows. */
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** `-d '<body>'` lines, each followed by a `# <answer>` line. */
const graphqlExamples = [...readme.matchAll(/-d '(\{"query".*\})'\n# (\{.*\})\n/g)].map((m) => ({
  body: JSON.parse(m[1] ?? '') as { query: string },
  answer: JSON.parse(m[2] ?? '') as unknown,
}));

const legacyExample = /curl '[^']*(\/userservice\?[^']*)'\n# (.*)\n/.exec(readme);
const legacySecret = /USERSERVICE_SECRET=(\S+) npm start/.exec(readme)?.[1] ?? '';

describe('the README examples', () => {
  const gateway = useGateway({ seed: showcaseSeed(settings) });
  const legacy = useLegacy({ seed: showcaseSeed(settings), legacy: { secret: legacySecret } });

  it('has a query and a mutation, each answered as shown', async () => {
    expect(graphqlExamples.map((e) => e.body.query.trim().split(' ')[0])).toEqual(['{', 'mutation']);
    for (const { body, answer } of graphqlExamples) expect((await gateway.gql(body.query)).body).toEqual(answer);
  });

  it('has a legacy call answered as shown', async () => {
    expect(legacySecret).not.toBe('');
    const query = new URL(legacyExample?.[1] ?? '/missing', 'http://gateway').searchParams.toString();
    expect((await legacy.send(query)).text.trim()).toBe(legacyExample?.[2]);
  });
});
