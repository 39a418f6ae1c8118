import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { generatedSeed } from '../../src/emulator/seeds/generated.js';
import { estimateCost, UNBOUNDED_LIST } from '../../src/graphql/admission/estimate.js';
import { AdmissionAborted, admissionGate, DEFAULT_ADMISSION } from '../../src/graphql/admission/gate.js';
import { schema } from '../../src/schema/index.js';
import { settings } from '../helpers/emulator.js';
import { type GraphQLResponse, useGateway } from '../helpers/gateway.js';

const cost = (query: string, variables?: Record<string, unknown>) =>
  estimateCost(schema, parse(query), undefined, variables);
const PERSON = '{ username name email }';
const ORG_CHART = `{ groups { nodes { name members ${PERSON} admins ${PERSON} } } }`;

describe('the expected cost of an operation', () => {
  it('counts the field values it resolves: one user is small, the org chart is large', () => {
    expect(cost('{ user(username: "jane") { username name email } }')).toBe(4);
    // groups (1) + nodes (100) + name (100) + members and admins (100 each) with three fields of 100 × 100 each.
    expect(cost(ORG_CHART)).toBe(1 + 100 + 100 + 2 * (100 * UNBOUNDED_LIST + 3 * 100 * UNBOUNDED_LIST));
    expect(DEFAULT_ADMISSION.smallCost).toBeGreaterThanOrEqual(cost('{ user(username: "jane") { username } }'));
    expect(DEFAULT_ADMISSION.smallCost).toBeLessThan(cost(ORG_CHART));
  });

  it('takes a page size from `first`, literal or variable, for the connection and the list inside it', () => {
    expect(cost('{ groups(first: 5) { nodes { name } } }')).toBe(1 * 5 + 5 + 5);
    expect(cost('query ($n: Int) { groups(first: $n) { nodes { name } } }', { n: 2 })).toBe(2 + 2 + 2);
    // Without a value the list is unbounded.
    expect(cost('query ($n: Int) { groups(first: $n) { nodes { name } } }', {})).toBe(1 + 100 + 100);
  });

  it('follows fragments where they are spread, and counts introspection as free', () => {
    const named = `query { groups { nodes { ...g } } } fragment g on Group { name description }`;
    expect(cost(named)).toBe(cost('{ groups { nodes { name description } } }'));
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(1);
  });
});

describe('the admission gate', () => {
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('never holds small operations, even behind waiting big ones', async () => {
    const gate = admissionGate({ maxCost: 100, smallCost: 10 });
    const first = await gate.enter(80);
    let second = false;
    void gate.enter(80).then(() => {
      second = true;
    });
    const small = await gate.enter(10);
    small();
    await settle();
    expect(second).toBe(false);
    expect(gate.load).toEqual({ running: 80, waiting: 1 });
    first();
    await settle();
    expect(second).toBe(true);
  });

  it('admits in arrival order, several at once while their costs fit, one over the limit alone', async () => {
    const gate = admissionGate({ maxCost: 100, smallCost: 10 });
    const order: string[] = [];
    const take = (label: string, cost: number) =>
      gate.enter(cost).then((leave) => {
        order.push(label);
        return leave;
      });
    const a = take('a', 50);
    const b = take('b', 50);
    const huge = take('huge', 500);
    const c = take('c', 20);
    await settle();
    expect(order).toEqual(['a', 'b']);
    (await a)();
    await settle();
    // c would fit, but huge came first and is not overtaken.
    expect(order).toEqual(['a', 'b']);
    (await b)();
    await settle();
    expect(order).toEqual(['a', 'b', 'huge']);
    (await huge)();
    (await c)();
    expect(order).toEqual(['a', 'b', 'huge', 'c']);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('drops a waiting operation whose client went away, and lets the next one in', async () => {
    const gate = admissionGate({ maxCost: 100, smallCost: 10 });
    const first = await gate.enter(100);
    const gone = new AbortController();
    const abandoned = gate.enter(100, gone.signal);
    const next = gate.enter(100);
    gone.abort();
    await expect(abandoned).rejects.toBeInstanceOf(AdmissionAborted);
    first();
    (await next)();
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });
});

describe('admission through the gateway', () => {
  const gateway = useGateway({
    seed: generatedSeed(settings, { users: 40, groups: 8, members: 5, rooms: 0 }),
    // Room for one org chart at a time.
    app: { maxInflightCost: cost(ORG_CHART) + 1 },
  });

  it('runs one org chart at a time while a user lookup passes at once', async () => {
    const [app, upstream] = await Promise.all([gateway.app, gateway.ready]);
    // Openfire slow to list groups, so the first org chart is still running when the others arrive.
    upstream.faults.add({ route: 'GET /groups', latencyMs: 200 });
    const finished: string[] = [];
    const done = (label: string) => (answer: GraphQLResponse) => {
      expect(answer).toMatchObject({ status: 200 });
      expect(answer.body.errors).toBeUndefined();
      finished.push(label);
    };
    const first = gateway.gql(ORG_CHART).then(done('first chart'));
    const second = gateway.gql(ORG_CHART).then(done('second chart'));
    await expect.poll(() => app.admission.load.waiting).toBe(1);
    await gateway.gql('{ user(username: "user00001") { username name email } }').then(done('lookup'));
    // The lookup went by while the second chart waited, and Openfire has been asked for the groups once.
    expect(app.admission.load).toEqual({ running: cost(ORG_CHART), waiting: 1 });
    expect(upstream.stats.toJSON().routes['GET /groups']).toBe(1);
    await Promise.all([first, second]);
    upstream.faults.clear();
    expect(finished).toEqual(['lookup', 'first chart', 'second chart']);
    expect(app.admission.load).toEqual({ running: 0, waiting: 0 });
  });
});
