import autocannon from 'autocannon';
import type { Load } from './load.js';
import { Latencies } from './stats.js';

/** Whether an answer is the one expected; bodies are read only when a check is given. */
export type Check = (status: number, body: string) => boolean;

/**
 * A load driven by autocannon: each connection walks `requests` in order, over and over. Given several URLs (replicas
 * of one service), the connections are dealt out among them, one autocannon each, timed together. Measuring, one HTTP request
 * is one operation; `sequential(n)` walks the list n times, so calls are counted per pass (an S4 add + delete
 * cycle). Latencies are taken from autocannon's per-response timings (fractional milliseconds), not its
 * histogram, whose 1 ms resolution hides sub-millisecond differences.
 */
export function cannon(target: string | readonly string[], requests: autocannon.Request[], check?: Check): Load {
  const urls = typeof target === 'string' ? [target] : target;
  const failures = { count: 0, first: '' };
  const checked = check
    ? requests.map((r) => ({
        ...r,
        onResponse: (status: number, body: string) => {
          if (check(status, body)) return;
          if (failures.count++ === 0) failures.first = `${status} ${body.slice(0, 200)}`;
        },
      }))
    : requests;

  async function one(
    url: string,
    latencies: Latencies,
    options: Omit<autocannon.Options, 'url' | 'requests'>,
  ): Promise<autocannon.Result> {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ timeout: 30, ...options, url, requests: checked }, (error, r) =>
        error ? reject(error) : resolve(r),
      );
      instance.on('response', (_client, _status, _bytes, ms) => latencies.add(ms));
    });
    if (result.errors + result.timeouts + result.non2xx + failures.count > 0) {
      throw new Error(
        `${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ${failures.count} bad answers` +
          (failures.first ? `, e.g. ${failures.first}` : ''),
      );
    }
    return result;
  }

  return {
    driver: urls.length === 1 ? 'autocannon' : `autocannon, connections dealt out over ${urls.length} replicas`,
    async measure(connections, seconds) {
      failures.count = 0;
      const latencies = new Latencies();
      const dealt = urls
        .map((url, i) => ({ url, connections: Math.floor((connections + urls.length - 1 - i) / urls.length) }))
        .filter((share) => share.connections > 0);
      const results = await Promise.all(
        dealt.map((share) => one(share.url, latencies, { connections: share.connections, duration: seconds })),
      );
      return latencies.sample(Math.max(...results.map((r) => r.duration)));
    },
    async sequential(n) {
      failures.count = 0;
      await one(urls[0] as string, new Latencies(), { connections: 1, amount: n * requests.length });
    },
  };
}
