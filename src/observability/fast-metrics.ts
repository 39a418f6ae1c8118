import type { Metric, Registry } from 'prom-client';

/**
 * Counters and histograms that aggregate in plain Maps and hand prom-client only their totals, when scraped.
 * prom-client's own `inc`/`observe` validate and hash a labels object on every call (about 1 µs each); here a call is
 * a few Map lookups. The registry still does the exposition, from `get()` values shaped like prom-client's own.
 */

type Labels = Record<string, string | number>;

interface Sample {
  readonly labels: Labels;
  readonly value: number;
  readonly metricName?: string;
}

interface Config {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly registry: Registry;
}

abstract class FastMetric<S extends { readonly labels: Labels }> {
  abstract readonly type: 'counter' | 'histogram';
  /** For prom-client's cluster aggregation, as its own counters and histograms. */
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly #labelNames: readonly string[];
  /** One Map level per label: no key string to build per call, and no separator that a value could contain. */
  #index = new Map<string, unknown>();
  /** In first-seen order, as prom-client prints them. */
  protected series: S[] = [];

  constructor(config: Config) {
    this.name = config.name;
    this.help = config.help;
    this.#labelNames = config.labelNames;
    // prom-client's typings admit only its own classes; its registry needs just name, help, type, get() and reset().
    config.registry.registerMetric(this as unknown as Metric);
  }

  protected abstract create(labels: Labels): S;

  /** The series of these label values (in `labelNames` order), created on first use. */
  protected find(values: readonly string[]): S {
    // Each value but the last picks a nested Map; the last picks the series ('' for an unlabelled metric's one series).
    let map = this.#index;
    let key: string | null = null;
    for (const value of values) {
      if (key !== null) {
        let next = map.get(key) as Map<string, unknown> | undefined;
        if (!next) {
          next = new Map();
          map.set(key, next);
        }
        map = next;
      }
      key = value;
    }
    key ??= '';
    let series = map.get(key) as S | undefined;
    if (!series) {
      series = this.create(this.#labels(values));
      map.set(key, series);
      this.series.push(series);
    }
    return series;
  }

  /** A new series' labels; a value missing for a label name is a caller's bug, caught on the series' first use. */
  #labels(values: readonly string[]): Labels {
    const labels: Labels = {};
    for (const [i, name] of this.#labelNames.entries()) {
      const value = values[i];
      if (value === undefined) throw new Error(`${this.name}: no value given for label "${name}"`);
      labels[name] = value;
    }
    return labels;
  }

  /** `Registry.resetMetrics()` calls it. */
  reset(): void {
    this.#index = new Map();
    this.series = [];
  }

  abstract get(): Promise<{ name: string; help: string; type: string; values: Sample[]; aggregator: string }>;
}

export class FastCounter extends FastMetric<{ readonly labels: Labels; value: number }> {
  readonly type = 'counter';

  /** `values` in `labelNames` order. */
  inc(values: readonly string[]): void {
    this.find(values).value++;
  }

  protected create(labels: Labels) {
    return { labels, value: 0 };
  }

  async get() {
    const values = this.series.map(({ labels, value }) => ({ labels, value }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

interface HistogramSeries {
  readonly labels: Labels;
  /** Observations per bucket, not cumulative; the last slot holds those above every bound. */
  readonly counts: number[];
  sum: number;
  count: number;
}

export class FastHistogram extends FastMetric<HistogramSeries> {
  readonly type = 'histogram';
  readonly #buckets: readonly number[];

  constructor(config: Config & { readonly buckets: readonly number[] }) {
    super(config);
    this.#buckets = config.buckets;
  }

  /** `values` in `labelNames` order; a non-finite `value` throws, as with prom-client. */
  observe(values: readonly string[], value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const series = this.find(values);
    // The first bucket whose bound holds the value; past every bound, the last slot.
    let slot = 0;
    for (const le of this.#buckets) {
      if (value <= le) break;
      slot++;
    }
    series.counts[slot] = (series.counts[slot] ?? 0) + 1;
    series.sum += value;
    series.count++;
  }

  protected create(labels: Labels): HistogramSeries {
    return { labels, counts: new Array<number>(this.#buckets.length + 1).fill(0), sum: 0, count: 0 };
  }

  /** prom-client's series: cumulative `le` buckets (bound as a number, `le` first), `+Inf`, `_sum`, `_count`. */
  async get() {
    const values: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, counts, sum, count } of this.series) {
      let cumulative = 0;
      this.#buckets.forEach((le, i) => {
        cumulative += counts[i] ?? 0;
        values.push({ labels: { le, ...labels }, value: cumulative, metricName: bucket });
      });
      values.push(
        { labels: { le: '+Inf', ...labels }, value: count, metricName: bucket },
        { labels, value: sum, metricName: `${this.name}_sum` },
        { labels, value: count, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
