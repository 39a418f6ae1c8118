import { describe, expect, it } from 'vitest';
import type { Permits } from '../../src/common/permits.js';
import { fairShare } from '../../src/request/fair-share.js';

/** Takes slots in order and records who got one; `give(n)` gives back the n-th slot granted. */
function harness(capacity: number, perCaller: number) {
  const share = fairShare({ capacity, perCaller });
  const granted: string[] = [];
  const releases: Array<() => void> = [];
  const take = (caller: string) =>
    share.acquire(caller).then((release) => {
      granted.push(caller);
      releases.push(release);
    });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { take, granted, give: (n: number) => releases[n]?.(), settle };
}

describe('the fair share of the upstream pool', () => {
  it('grants at once while the pool and the caller’s share have room', async () => {
    const h = harness(4, 2);
    await Promise.all([h.take('a'), h.take('a'), h.take('b')]);
    expect(h.granted).toEqual(['a', 'a', 'b']);
  });

  it('keeps one caller within its share, leaving room for another', async () => {
    const h = harness(4, 2);
    void h.take('a');
    void h.take('a');
    void h.take('a');
    await h.settle();
    expect(h.granted).toEqual(['a', 'a']);
    await h.take('b');
    expect(h.granted).toEqual(['a', 'a', 'b']);
    h.give(0);
    await h.settle();
    expect(h.granted).toEqual(['a', 'a', 'b', 'a']);
  });

  it('hands freed slots round-robin, so a late caller is not served after every queued call of the first', async () => {
    const h = harness(2, 2);
    for (let i = 0; i < 5; i++) void h.take('flood');
    await h.settle();
    void h.take('single');
    await h.settle();
    expect(h.granted).toEqual(['flood', 'flood']);
    h.give(0);
    await h.settle();
    h.give(1);
    await h.settle();
    expect(h.granted).toEqual(['flood', 'flood', 'single', 'flood']);
  });

  it('ignores a second release of the same slot', async () => {
    const h = harness(1, 1);
    await h.take('a');
    void h.take('b');
    void h.take('c');
    h.give(0);
    h.give(0);
    await h.settle();
    expect(h.granted).toEqual(['a', 'b']);
  });
});

/** Permits counted in memory, as Redis counts them for replicas; `fail` makes the next take reject. */
function countedPermits() {
  const held = new Map<string, number>();
  let fail = false;
  const permits: Permits = {
    async take(key, limit) {
      if (fail) {
        fail = false;
        throw new Error('no answer');
      }
      const count = held.get(key) ?? 0;
      if (count >= limit) return null;
      held.set(key, count + 1);
      return () => held.set(key, (held.get(key) ?? 1) - 1);
    },
  };
  const failNext = () => {
    fail = true;
  };
  return { permits, held, failNext };
}

describe('the fair share with a caller’s permits counted across replicas', () => {
  it('makes a call wait while other replicas hold the rest of the caller’s share, then grants it', async () => {
    const counted = countedPermits();
    const replicaA = fairShare({ capacity: 4, perCaller: 2 }, counted.permits);
    const replicaB = fairShare({ capacity: 4, perCaller: 2 }, counted.permits);
    const first = await replicaA.acquire('flood');
    await replicaA.acquire('flood');
    let third = false;
    const waiting = replicaB.acquire('flood').then((release) => {
      third = true;
      return release;
    });
    // Another caller is not held up by the flood's count.
    (await replicaB.acquire('other'))();
    expect(third).toBe(false);
    first();
    (await waiting)();
    expect(third).toBe(true);
    expect(counted.held.get('flood')).toBe(1);
  });

  it('gives the slot back when the permit cannot be taken', async () => {
    const counted = countedPermits();
    const share = fairShare({ capacity: 1, perCaller: 1 }, counted.permits);
    counted.failNext();
    await expect(share.acquire('a')).rejects.toThrow('no answer');
    (await share.acquire('b'))();
  });
});
