import { performance } from 'node:perf_hooks';
import type { Load } from './load.js';
import { Latencies } from './stats.js';

/**
 * A load driven by a hand-written loop, for sides whose operation is several requests (a REST client assembling
 * an org chart): `connections` workers run `operation` back to back; each run is timed from its first request to
 * its last answer. Operations still running at the end finish and count.
 */
export function loop(operation: () => Promise<void>): Load {
  return {
    driver: 'hand-written loop',
    async measure(connections, seconds) {
      const latencies = new Latencies();
      const cpu = process.cpuUsage();
      const started = performance.now();
      const deadline = started + seconds * 1000;
      const worker = async (): Promise<void> => {
        while (performance.now() < deadline) {
          const t = performance.now();
          await operation();
          latencies.add(performance.now() - t);
        }
      };
      await Promise.all(Array.from({ length: connections }, worker));
      const sample = latencies.sample((performance.now() - started) / 1000);
      const { user, system } = process.cpuUsage(cpu);
      return { ...sample, ...(sample.operations > 0 && { clientCpuUs: (user + system) / sample.operations }) };
    },
    async sequential(n) {
      for (let i = 0; i < n; i++) await operation();
    },
  };
}
