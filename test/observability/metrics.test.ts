import { describe, expect, it } from 'vitest';
import { createMetrics, MAX_OPERATION_NAMES, type Metrics } from '../../src/observability/metrics.js';
import { SECRET } from '../helpers/emulator.js';
import { LEGACY_SECRET, legacySeed } from '../helpers/legacy.js';
import { graphql, type Stack, useStack } from './stack.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Prometheus text → samples (comments skipped, label values unescaped). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key = '', value = ''] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
        labels[key] = value.replace(/\\(.)/g, '$1');
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

/** The value of the one sample with this name and (at least) these labels; 0 when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

async function scrape(stack: Stack, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await stack.fetch('/metrics', { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

/** What `act` changed: `delta(name, labels)` is the difference of one sample across it. */
async function across(stack: Stack, act: () => Promise<unknown>) {
  const before = await scrape(stack);
  await act();
  const after = await scrape(stack);
  return (name: string, labels: Record<string, string> = {}) =>
    value(after, name, labels) - value(before, name, labels);
}

const metrics: Metrics = createMetrics();
const t = useStack({ metrics, seed: legacySeed() });
const gql = (query: string, headers: Record<string, string> = {}) =>
  t.fetch('/graphql', graphql(query, { authorization: SECRET, ...headers }));

describe('/metrics', () => {
  it('counts a GraphQL query: the HTTP request, the operation and its upstream call', async () => {
    const delta = await across(t, () => gql('{ user(username: "john") { name } }'));
    expect(delta('http_requests_total', { route: '/graphql', method: 'POST', status: '200' })).toBe(1);
    expect(delta('http_request_duration_seconds_count', { route: '/graphql' })).toBe(1);
    expect(delta('graphql_operations_total', { operation: 'anonymous', type: 'query', code: 'OK' })).toBe(1);
    expect(delta('upstream_calls_total', { route: 'GET /users/{username}', method: 'GET', status: '200' })).toBe(1);
    expect(delta('upstream_call_duration_seconds_count', { route: 'GET /users/{username}' })).toBe(1);
    // The scrape before this one counts too.
    expect(delta('http_requests_total', { route: '/metrics', method: 'GET', status: '200' })).toBe(1);
  });

  it('counts operations by name, type and first error code, and upstream errors by status', async () => {
    const emulator = await t.emulator;
    const delta = await across(t, async () => {
      await gql('query Jane { user(username: "jane") { name } }');
      await gql('mutation Gone { deleteUser(username: "nobody") }');
      emulator.faults.add({ route: 'GET /groups/{groupName}', status: 500 });
      await gql('query Broken { group(name: "staff") { name } }');
      await gql('{ user(username: "john") { name } }', { authorization: '' });
      await gql('{ nope }');
    });
    expect(delta('graphql_operations_total', { operation: 'Jane', type: 'query', code: 'OK' })).toBe(1);
    expect(delta('graphql_operations_total', { operation: 'Gone', type: 'mutation', code: 'NOT_FOUND' })).toBe(1);
    expect(delta('graphql_operations_total', { operation: 'Broken', type: 'query', code: 'UPSTREAM_ERROR' })).toBe(1);
    expect(delta('graphql_operations_total', { operation: 'anonymous', type: 'query', code: 'UNAUTHENTICATED' })).toBe(
      1,
    );
    expect(
      delta('graphql_operations_total', { operation: 'anonymous', type: 'query', code: 'GRAPHQL_VALIDATION_FAILED' }),
    ).toBe(1);
    expect(delta('upstream_calls_total', { route: 'DELETE /users/{username}', method: 'DELETE', status: '404' })).toBe(
      1,
    );
    expect(
      delta('upstream_calls_total', { route: 'GET /groups/{groupName}', method: 'GET', status: '500' }),
    ).toBeGreaterThanOrEqual(1);
    expect(delta('http_requests_total', { route: '/graphql', method: 'POST', status: '401' })).toBe(1);
  });

  it('counts legacy requests by type and reply, unknown types as none', async () => {
    const legacy = (params: Record<string, string>, path = '/userservice') =>
      t.fetch(`${path}?${new URLSearchParams(params)}`);
    const delta = await across(t, async () => {
      await legacy({ type: 'delete', secret: LEGACY_SECRET, username: 'nobody' });
      await legacy({ type: 'grouplist', secret: LEGACY_SECRET }, '/plugins/restapi/v1/userservice');
      await legacy({ type: 'explode', secret: LEGACY_SECRET, username: 'john' });
      await legacy({ type: 'delete', secret: 'wrong', username: 'john' });
    });
    expect(delta('legacy_requests_total', { type: 'delete', reply: 'UserNotFoundException' })).toBe(1);
    expect(delta('legacy_requests_total', { type: 'grouplist', reply: 'list' })).toBe(1);
    expect(delta('legacy_requests_total', { type: 'none', reply: 'IllegalArgumentException' })).toBe(1);
    expect(delta('legacy_requests_total', { type: 'none', reply: 'RequestNotAuthorised' })).toBe(1);
    expect(delta('http_requests_total', { route: '/userservice', method: 'GET', status: '200' })).toBe(4);
  });

  it('observes DataLoader batch sizes: a group’s members and admins are one batch of users', async () => {
    const delta = await across(t, async () => {
      const res = await gql('{ group(name: "staff") { members { username } admins { username } } }');
      expect((await res.json()).data.group.members).toHaveLength(2);
    });
    expect(delta('dataloader_batch_size_count', { loader: 'user' })).toBe(1);
    expect(delta('dataloader_batch_size_sum', { loader: 'user' })).toBe(3);
    expect(delta('dataloader_batch_size_count', { loader: 'group' })).toBe(1);
  });

  it('labels routes and methods from a fixed set', async () => {
    const delta = await across(t, async () => {
      await t.fetch('/graphiql/0123/graphiql.js');
      await t.fetch('/healthz', { method: 'PROPFIND' });
      await t.fetch('/wp-admin/setup.php?x=1');
      await t.fetch('/healthz');
    });
    expect(delta('http_requests_total', { route: '/graphiql', method: 'GET', status: '404' })).toBe(1);
    expect(delta('http_requests_total', { route: '/healthz', method: 'other', status: '404' })).toBe(1);
    expect(delta('http_requests_total', { route: 'other', method: 'GET', status: '404' })).toBe(1);
    expect(delta('http_requests_total', { route: '/healthz', method: 'GET', status: '200' })).toBe(1);
    const routes = new Set(
      (await scrape(t)).filter((s) => s.name === 'http_requests_total').map((s) => s.labels.route),
    );
    expect(
      [...routes].every((r) =>
        ['/graphql', '/graphiql', '/userservice', '/healthz', '/readyz', '/metrics', 'other'].includes(r ?? ''),
      ),
    ).toBe(true);
  });

  it(`keeps at most ${MAX_OPERATION_NAMES} operation names, then counts new ones as other`, async () => {
    for (let i = 0; i < 300; i++) await gql(`query Op${i} { __typename }`);
    const names = new Set(
      (await scrape(t)).filter((s) => s.name === 'graphql_operations_total').map((s) => s.labels.operation),
    );
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 1);
    expect(names).toContain('other');
    expect(names).toContain('Op0');
  });

  it('includes the process metrics of its own registry', async () => {
    const samples = await scrape(t);
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const token = 'metrics-token-Pq7';
  const guarded = useStack({ metrics: createMetrics({ process: false }), app: { metricsToken: token } });

  it.each([
    ['no Authorization', {}],
    ['a wrong token', { authorization: 'Bearer nope' }],
    ['the token without Bearer', { authorization: token }],
  ])('answers 401 to %s', async (_what, headers: Record<string, string>) => {
    const res = await guarded.fetch('/metrics', { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.text()).not.toContain('http_requests_total');
  });

  it('serves the metrics for the token, counting the refusals', async () => {
    await guarded.fetch('/metrics');
    const samples = await scrape(guarded, { authorization: `Bearer ${token}` });
    expect(value(samples, 'http_requests_total', { route: '/metrics', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(samples.some((s) => s.name.startsWith('process_'))).toBe(false);
  });
});

describe('without metrics', () => {
  const bare = useStack({ metrics: null });

  it('has no /metrics route', async () => {
    expect((await bare.fetch('/metrics')).status).toBe(404);
  });
});

describe('createMetrics', () => {
  it('gives each instance its own registry', async () => {
    const a = createMetrics({ process: false });
    const b = createMetrics({ process: false });
    a.legacyRequest({ type: 'add', reply: 'ok' });
    expect(await a.registry.getSingleMetricAsString('legacy_requests_total')).toContain(
      'legacy_requests_total{type="add",reply="ok"} 1',
    );
    expect(await b.registry.getSingleMetricAsString('legacy_requests_total')).not.toContain('reply="ok"');
  });

  it('exposes counters and cumulative histogram buckets exactly, the same on every scrape', async () => {
    const m = createMetrics({ process: false });
    m.httpRequest('/graphql', 'POST', 200, 0.003);
    m.httpRequest('/graphql', 'POST', 200, 0.005); // on a bound: counted in le="0.005"
    m.httpRequest('/graphql', 'GET', 404, 0.25);
    m.httpRequest('/healthz', 'PROPFIND', 200, 45); // above the last bound: only in +Inf
    const bounds = [
      '0.001',
      '0.0025',
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '2.5',
      '5',
      '10',
      '30',
      '+Inf',
    ];
    const graphqlBuckets = [0, 0, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3];
    const healthzBuckets = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const histogram = [
      '# HELP http_request_duration_seconds Time from receiving a request to its response headers, by route.',
      '# TYPE http_request_duration_seconds histogram',
      ...bounds.map(
        (le, i) => `http_request_duration_seconds_bucket{le="${le}",route="/graphql"} ${graphqlBuckets[i]}`,
      ),
      'http_request_duration_seconds_sum{route="/graphql"} 0.258',
      'http_request_duration_seconds_count{route="/graphql"} 3',
      ...bounds.map(
        (le, i) => `http_request_duration_seconds_bucket{le="${le}",route="/healthz"} ${healthzBuckets[i]}`,
      ),
      'http_request_duration_seconds_sum{route="/healthz"} 45',
      'http_request_duration_seconds_count{route="/healthz"} 1',
    ].join('\n');
    const counter = [
      '# HELP http_requests_total HTTP requests answered, by route, method and status.',
      '# TYPE http_requests_total counter',
      'http_requests_total{route="/graphql",method="POST",status="200"} 2',
      'http_requests_total{route="/graphql",method="GET",status="404"} 1',
      'http_requests_total{route="/healthz",method="other",status="200"} 1',
    ].join('\n');
    for (let scrape = 0; scrape < 2; scrape++) {
      const text = await m.registry.metrics();
      expect(text).toContain(`${histogram}\n\n`);
      expect(text).toContain(`${counter}\n\n`);
    }
  });

  it('reduces label values to [A-Za-z0-9_]{1,64}', async () => {
    const m = createMetrics({ process: false });
    m.graphqlOperation(`weird name"}\n${'x'.repeat(100)}`, 'unknown', 'SOME-CODE');
    m.graphqlOperation('', 'query', 'OK');
    const labels = parse(await m.registry.metrics())
      .filter((s) => s.name === 'graphql_operations_total')
      .map((s) => [s.labels.operation, s.labels.code]);
    expect(labels).toEqual([
      [`weird_name___${'x'.repeat(51)}`, 'SOME_CODE'],
      ['anonymous', 'OK'],
    ]);
  });
});
