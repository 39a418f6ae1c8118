/** One measurement of one side: operations per second and latency percentiles in milliseconds. */
export interface Sample {
  readonly opsPerSec: number;
  readonly p50: number;
  readonly p99: number;
  /** Operations answered in the run. */
  readonly operations: number;
  /** CPU time the side's server process spent per operation, in µs (`null` where /proc cannot tell). */
  readonly cpuUs?: number | null;
  /**
   * CPU time the client itself spent per operation, in µs, where the client is a hand-written loop in this process
   * (a REST client assembling an answer): the least a process making the same calls and joins must spend.
   */
  readonly clientCpuUs?: number;
}

/** The nearest-rank percentile of latencies in milliseconds (sorted here, so the caller's order does not matter). */
export function percentile(values: Float64Array | readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const median = (values: readonly number[]): number => percentile(values, 50);

/** The median of each metric over several runs, each taken on its own (runs vary in all three at once). */
export function medianSample(runs: readonly Sample[]): Sample {
  const cpuUs = runs.map((r) => r.cpuUs);
  return {
    opsPerSec: median(runs.map((r) => r.opsPerSec)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    operations: median(runs.map((r) => r.operations)),
    cpuUs: cpuUs.every((us) => us != null) ? median(cpuUs) : null,
    ...(runs.every((r) => r.clientCpuUs !== undefined) && {
      clientCpuUs: median(runs.map((r) => r.clientCpuUs ?? Number.NaN)),
    }),
  };
}

/** Latencies of one run, in a growable buffer: a busy run records hundreds of thousands. */
export class Latencies {
  private values = new Float64Array(4096);
  private count = 0;

  add(ms: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = ms;
  }

  get length(): number {
    return this.count;
  }

  sample(seconds: number): Sample {
    const values = this.values.subarray(0, this.count);
    return {
      opsPerSec: this.count / seconds,
      p50: percentile(values, 50),
      p99: percentile(values, 99),
      operations: this.count,
    };
  }
}
