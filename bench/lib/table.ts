import type { Scenario } from './scenario.js';
import type { Sample } from './stats.js';

/** One side's medians and its upstream calls per operation (as counted by the emulator). */
export interface Side {
  readonly driver: string;
  readonly sample: Sample;
  readonly calls: number;
}

export interface Row {
  readonly scenario: Scenario;
  readonly connections: number;
  readonly gateway: Side;
  readonly direct: Side;
  readonly floor?: Side;
  /** The gateway's largest resident memory during the scenario, warm-up included. */
  readonly rssMiB: number | null;
}

const ops = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1));
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString());
const ratio = (a: number, b: number): string => (a / b).toFixed(2);
const calls = (n: number): string => String(Math.round(n * 100) / 100);
const latency = (s: Sample): string => `${ms(s.p50)} / ${ms(s.p99)}`;
const cpuOf = (us: number | null | undefined): string => (us == null ? '–' : Math.round(us).toLocaleString('en'));
const cpu = (s: Sample): string => cpuOf(s.cpuUs);

function line(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A row of the table; a reference's row puts the reference where the gateway's numbers go. */
function cells(label: string, row: Row, front: Side, floorRatio: string, rss: string): string[] {
  const { direct } = row;
  const min = row.scenario.minimum;
  return [
    label,
    String(row.connections),
    ops(front.sample.opsPerSec),
    ops(direct.sample.opsPerSec),
    ratio(front.sample.opsPerSec, direct.sample.opsPerSec),
    floorRatio,
    latency(front.sample),
    latency(direct.sample),
    ms(front.sample.p50 - direct.sample.p50),
    `${cpu(front.sample)} · ${cpu(direct.sample)}`,
    `${calls(front.calls)} · ${calls(direct.calls)} · ${min.calls}${min.per === 'op' ? '' : ` per ${min.per}`}`,
    rss,
  ];
}

const HEADER = [
  'scenario',
  'conns',
  'gateway ops/s',
  'direct ops/s',
  'gateway ÷ direct',
  'gateway ÷ reference',
  'gateway p50 / p99 ms',
  'direct p50 / p99 ms',
  'added p50 ms',
  'server CPU µs / op: gateway · direct',
  'upstream calls / op: gateway · direct · minimum',
  'gateway RSS max MiB',
];

/** The results table in Markdown, one row per scenario plus one per bare-yoga reference. */
export function table(rows: readonly Row[]): string {
  const out = [line(HEADER), line(HEADER.map(() => '---'))];
  for (const row of rows) {
    const { gateway, floor } = row;
    const floorRatio = floor ? ratio(gateway.sample.opsPerSec, floor.sample.opsPerSec) : '–';
    out.push(
      line(
        cells(
          `${row.scenario.id} ${row.scenario.title}`,
          row,
          gateway,
          floorRatio,
          row.rssMiB === null ? '–' : String(row.rssMiB),
        ),
      ),
    );
    if (floor)
      out.push(line(cells(`${row.scenario.id} ${row.scenario.floor?.title ?? 'reference'}`, row, floor, '–', '–')));
  }
  return out.join('\n');
}

/** Under the table: why each minimum is one, and what each direct side does; scenarios with the same text merged. */
export function notes(rows: readonly Row[]): string {
  const merged = new Map<string, string[]>();
  const add = (text: string, id: string): void => void merged.set(text, [...(merged.get(text) ?? []), id]);
  for (const { scenario: s, direct } of rows) {
    add(`minimum: ${s.minimum.why}`, s.id);
    add(`direct REST (${direct.driver}): ${s.directRest}`, s.id);
  }
  const clients = rows.filter((r) => r.direct.sample.clientCpuUs !== undefined);
  if (clients.length > 0)
    add(
      'the hand-written client’s own CPU per operation (its calls, decoding and join, in the bench process): ' +
        clients.map((r) => `${r.scenario.id} ${cpuOf(r.direct.sample.clientCpuUs)} µs`).join(', ') +
        '. A gateway making the same calls cannot spend less.',
      clients.map((r) => r.scenario.id).join(', '),
    );
  return [...merged].map(([text, ids]) => `- ${ids.join(', ')}: ${text}`).join('\n');
}
