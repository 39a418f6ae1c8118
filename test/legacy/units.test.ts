import { describe, expect, it } from 'vitest';
import { AddressListError, addressList, parseAddressList } from '../../src/common/address-list.js';
import { clientAddress, normalizeAddress } from '../../src/common/client-address.js';
import { secretMatcher } from '../../src/common/secrets.js';
import { mapLimited, PARALLEL_CALLS } from '../../src/legacy/limited.js';
import { keyedLock } from '../../src/legacy/locks.js';
import { failureThrottle, throttleKey } from '../../src/legacy/throttle.js';
import { defined } from '../helpers/defined.js';

/** The small pieces the legacy endpoint's defences are made of, on their own. */

/** A promise settled by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise reaction run (a macrotask turn, no clock): what could start has started. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('parseAddressList', () => {
  it('splits on commas, trims, drops empty entries and keeps valid ones as written', () => {
    expect(
      parseAddressList(' 10.0.0.0/8, ::1 ,,192.168.1.5 ,fd00::/8,::ffff:10.0.0.1,2001:db8::/32, 0.0.0.0/0 '),
    ).toEqual(['10.0.0.0/8', '::1', '192.168.1.5', 'fd00::/8', '::ffff:10.0.0.1', '2001:db8::/32', '0.0.0.0/0']);
    expect(parseAddressList('')).toEqual([]);
    expect(parseAddressList(' , ,')).toEqual([]);
    expect(parseAddressList('10.0.0.0/32,::/0,::1/128')).toEqual(['10.0.0.0/32', '::/0', '::1/128']);
  });

  it.each([
    '10.0.0.0/33',
    'abc',
    '1.2.3.4/',
    '::1/129',
    '256.0.0.1',
    '10.0.0',
    '1.2.3.4/8/1',
    '1.2.3.4/-1',
    '1.2.3.4/ 8',
    '/8',
    'example.org',
    '1.2.3.4/0008',
    '10.0.0.0/x',
    '::1 ::2',
  ])('refuses %j, naming the entry', (entry) => {
    expect(() => parseAddressList(`127.0.0.1, ${entry}`)).toThrow(AddressListError);
    expect(() => parseAddressList(`127.0.0.1, ${entry}`)).toThrow(`"${entry.trim()}"`);
  });
});

describe('addressList', () => {
  const list = addressList(['10.0.0.0/8', '::1', '192.168.1.5', 'fd00::/8']);

  it.each([
    '10.0.0.0',
    '10.1.2.3',
    '10.255.255.255',
    '::1',
    '0:0:0:0:0:0:0:1',
    '192.168.1.5',
    'fd00::1',
    'FD12:3456::9',
    '::ffff:10.1.2.3',
    '::ffff:a01:203',
    '::ffff:192.168.1.5',
  ])('has %s', (address) => expect(list.has(address)).toBe(true));

  it.each([
    '9.255.255.255',
    '11.0.0.0',
    '192.168.1.4',
    '192.168.1.6',
    '::2',
    'fe00::1',
    '2001:db8::1',
    '::ffff:11.0.0.1',
    '',
    'abc',
    '10.1.2.3:80',
    '[::1]',
    'localhost',
  ])('has not %j', (address) => expect(list.has(address)).toBe(false));

  it('counts entries; an empty list has size 0 and matches nothing', () => {
    expect(list.size).toBe(4);
    const empty = addressList([]);
    expect(empty.size).toBe(0);
    expect(empty.has('127.0.0.1')).toBe(false);
  });

  it('matches IPv4 peers against mapped-IPv4 entries too', () => {
    const mapped = addressList(['::ffff:10.0.0.1', '::ffff:172.16.0.0/108']);
    expect(mapped.has('10.0.0.1')).toBe(true);
    expect(mapped.has('172.16.200.1')).toBe(true);
    expect(mapped.has('172.32.0.1')).toBe(false);
  });

  it('treats an IPv6 CIDR by its prefix', () => {
    const v6 = addressList(['2001:db8:abcd::/48']);
    expect(v6.has('2001:db8:abcd:ffff::1')).toBe(true);
    expect(v6.has('2001:db8:abce::1')).toBe(false);
    expect(v6.has('10.0.0.1')).toBe(false);
  });

  it('refuses an entry that parseAddressList would refuse', () => {
    expect(() => addressList(['abc'])).toThrow();
  });
});

describe('clientAddress', () => {
  const trusted = addressList(['127.0.0.1', '172.16.0.0/12', '::1']);

  it('is the peer when no proxy is trusted, there is no header, or the peer is not trusted', () => {
    expect(clientAddress('127.0.0.1', '10.1.2.3', addressList([]))).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', null, trusted)).toBe('127.0.0.1');
    expect(clientAddress('203.0.113.5', '10.1.2.3', trusted)).toBe('203.0.113.5');
  });

  it('is the right-most hop not in the trusted list', () => {
    expect(clientAddress('127.0.0.1', '10.1.2.3', trusted)).toBe('10.1.2.3');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 10.1.2.3', trusted)).toBe('10.1.2.3');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 10.1.2.3, 172.16.0.4, 172.31.0.9', trusted)).toBe('10.1.2.3');
    expect(clientAddress('172.20.0.1', '10.1.2.3,172.16.0.4', trusted)).toBe('10.1.2.3');
    expect(clientAddress('::ffff:127.0.0.1', '10.1.2.3', trusted)).toBe('10.1.2.3');
  });

  it('trims hops and unwraps bracketed IPv6 hops', () => {
    expect(clientAddress('127.0.0.1', '  10.1.2.3  ', trusted)).toBe('10.1.2.3');
    expect(clientAddress('127.0.0.1', '[2001:db8::7]', trusted)).toBe('2001:db8::7');
    expect(clientAddress('127.0.0.1', '2001:db8::7, [::1]', trusted)).toBe('2001:db8::7');
  });

  it('is the left-most hop when every hop is a trusted proxy', () => {
    expect(clientAddress('127.0.0.1', '172.16.0.4, 172.16.0.5', trusted)).toBe('172.16.0.4');
  });

  it('stops at a hop that is not an address at all (it is then refused by any allowlist)', () => {
    expect(clientAddress('127.0.0.1', '10.1.2.3, unknown', trusted)).toBe('unknown');
  });

  it('is one spelling per address: no port, no brackets, IPv4 for IPv4-mapped, IPv6 compressed in lower case', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.5:1234', trusted)).toBe('203.0.113.5');
    expect(clientAddress('127.0.0.1', '[2001:DB8:0:0:0:0:0:7]:443', trusted)).toBe('2001:db8::7');
    expect(clientAddress('::ffff:203.0.113.5', null, trusted)).toBe('203.0.113.5');
    expect(clientAddress('127.0.0.1', '::FFFF:10.1.2.3', trusted)).toBe('10.1.2.3');
    expect(clientAddress('fe80::1%eth0', null, trusted)).toBe('fe80::1%eth0');
    expect(normalizeAddress('not an address')).toBe('not an address');
  });
});

describe('failureThrottle', () => {
  function setup(maxFailures: number, windowMs: number, maxTracked?: number) {
    const clock = { now: 0 };
    const throttle = failureThrottle({ maxFailures, windowMs, maxTracked, now: () => clock.now });
    return { clock, throttle };
  }

  it('blocks an address at maxFailures failures within the window, and only that address', () => {
    const { throttle } = setup(3, 1000);
    throttle.failed('a');
    throttle.failed('a');
    expect(throttle.blocked('a')).toBe(false);
    throttle.failed('a');
    expect(throttle.blocked('a')).toBe(true);
    expect(throttle.blocked('b')).toBe(false);
  });

  it('unblocks when the oldest failure leaves the window (a failure exactly windowMs old has left)', () => {
    const { clock, throttle } = setup(2, 1000);
    throttle.failed('a');
    clock.now = 400;
    throttle.failed('a');
    clock.now = 999;
    expect(throttle.blocked('a')).toBe(true);
    clock.now = 1000;
    expect(throttle.blocked('a')).toBe(false);
    throttle.failed('a');
    expect(throttle.blocked('a')).toBe(true);
    clock.now = 1400;
    expect(throttle.blocked('a')).toBe(false);
    clock.now = 2000;
    throttle.failed('a');
    expect(throttle.blocked('a')).toBe(false);
  });

  it('remembers at most maxTracked addresses, forgetting the one whose last failure is oldest', () => {
    const { throttle } = setup(1, 60_000, 2);
    throttle.failed('a');
    throttle.failed('b');
    throttle.failed('a'); // a is now the most recent
    throttle.failed('c'); // b goes
    expect(['a', 'b', 'c'].map((x) => throttle.blocked(x))).toEqual([true, false, true]);
    throttle.failed('d'); // a goes
    expect(['a', 'b', 'c', 'd'].map((x) => throttle.blocked(x))).toEqual([false, false, true, true]);
  });

  it('keeps memory bounded under a spray of addresses', () => {
    const { throttle } = setup(1, 60_000, 100);
    for (let i = 0; i < 1000; i++) throttle.failed(`10.0.${i >> 8}.${i & 255}`);
    const remembered = Array.from({ length: 1000 }, (_, i) => throttle.blocked(`10.0.${i >> 8}.${i & 255}`)).filter(
      Boolean,
    );
    expect(remembered).toHaveLength(100);
    expect(throttle.blocked('10.0.3.231')).toBe(true); // the last one sprayed
  });

  it('uses Date.now without an injected clock', () => {
    const throttle = failureThrottle({ maxFailures: 1, windowMs: 3_600_000 });
    throttle.failed('a');
    expect(throttle.blocked('a')).toBe(true);
  });
});

describe('throttleKey', () => {
  it('keeps an IPv4 address, and anything that is not an IP address, as it is', () => {
    expect(throttleKey('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleKey('unknown')).toBe('unknown');
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(throttleKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleKey('::FFFF:10.0.0.1')).toBe('10.0.0.1');
  });

  it('counts the other spellings of an IPv4-mapped address as the IPv4 address too', () => {
    expect(throttleKey('::ffff:a01:203')).toBe('10.1.2.3');
    expect(throttleKey('0:0:0:0:0:ffff:10.1.2.3')).toBe('10.1.2.3');
  });

  it('counts an IPv6 address by its /64 network', () => {
    expect(throttleKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:db8:1:2::9')).toBe(throttleKey('2001:db8:1:2:3:4:5:6'));
    expect(throttleKey('2001:DB8:0001:0002:ffff::')).toBe(throttleKey('2001:db8:1:2::9'));
    expect(throttleKey('2001:db8:1:3::9')).not.toBe(throttleKey('2001:db8:1:2::9'));
    expect(throttleKey('2001:db9:1:2::9')).not.toBe(throttleKey('2001:db8:1:2::9'));
  });

  it('expands :: by the groups it stands for, wherever it is', () => {
    expect(throttleKey('::1')).toBe(throttleKey('::'));
    expect(throttleKey('::1')).toBe(throttleKey('0:0:0:0:1::'));
    expect(throttleKey('2001:db8::')).toBe(throttleKey('2001:db8:0:0:ffff:ffff:ffff:ffff'));
    // Here :: stands for two groups, so the fourth is 1.
    expect(throttleKey('fe80::1:2:3:4:5')).toBe(throttleKey('fe80:0:0:1::'));
    expect(throttleKey('fe80::1:2:3:4:5')).not.toBe(throttleKey('fe80::1'));
  });

  it('counts an embedded IPv4 tail as the two groups it takes', () => {
    expect(throttleKey('2001:db8:1:2:3:4:192.0.2.1')).toBe(throttleKey('2001:db8:1:2::'));
    // With the tail as two groups, :: stands for one: the fourth group is 5.
    expect(throttleKey('2001:db8::5:6:7:192.0.2.1')).toBe(throttleKey('2001:db8:0:5::'));
    expect(throttleKey('64:ff9b::192.0.2.1')).toBe(throttleKey('64:ff9b::'));
  });
});

describe('mapLimited', () => {
  /** `mapLimited` over `count` items whose runs the test settles by hand, recording what ran and how much at once. */
  function handRun(count: number) {
    const gates = Array.from({ length: count }, () => deferred<number>());
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const result = mapLimited([...gates.entries()], async ([i, gate]) => {
      started.push(i);
      most = Math.max(most, ++running);
      try {
        return await gate.promise;
      } finally {
        running--;
      }
    });
    const gate = (i: number) => defined(gates[i], `the gate of item ${i}`);
    return { gates, gate, started, result, running: () => running, most: () => most };
  }

  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

  it('runs at most PARALLEL_CALLS (8) items at once, starting the next as one finishes, results in item order', async () => {
    expect(PARALLEL_CALLS).toBe(8);
    const run = handRun(20);
    expect(run.started).toEqual(range(0, 8));
    run.gate(3).resolve(30);
    await settle();
    expect(run.started).toEqual(range(0, 9));
    expect(run.running()).toBe(PARALLEL_CALLS);
    // Finish the rest newest first, one at a time: each finish lets exactly one more start.
    const finished = new Set([3]);
    while (finished.size < 20) {
      const i = defined(
        run.started.findLast((n) => !finished.has(n)),
        'a started item not finished yet',
      );
      finished.add(i);
      run.gate(i).resolve(i * 10);
      await settle();
      expect(run.running()).toBe(Math.min(PARALLEL_CALLS, 20 - finished.size));
    }
    expect(await run.result).toEqual(range(0, 20).map((i) => i * 10));
    expect(run.started.toSorted((a, b) => a - b)).toEqual(range(0, 20));
    expect(run.most()).toBe(PARALLEL_CALLS);
  });

  it('starts fewer items than the limit all at once; no items is an empty result', async () => {
    const run = handRun(3);
    expect(run.started).toEqual([0, 1, 2]);
    for (const [i, gate] of run.gates.entries()) gate.resolve(i);
    expect(await run.result).toEqual([0, 1, 2]);
    expect(await mapLimited([], async () => 1)).toEqual([]);
  });

  it('starts no item after a failure, and rejects with the first failure once the running ones have settled', async () => {
    const run = handRun(20);
    let settled = false;
    void run.result.then(
      () => (settled = true),
      () => (settled = true),
    );
    const first = new Error('first');
    run.gate(2).reject(first);
    await settle();
    expect(settled).toBe(false);
    run.gate(5).reject(new Error('second'));
    for (const i of [0, 1, 3, 4, 6]) run.gate(i).resolve(i);
    await settle();
    // Item 7 still runs: no answer yet, and no new item took the free places.
    expect(settled).toBe(false);
    expect(run.running()).toBe(1);
    run.gate(7).resolve(7);
    await expect(run.result).rejects.toBe(first);
    expect(run.started).toEqual(range(0, 8));
  });
});

describe('keyedLock', () => {
  it('runs operations on the same key one after another, in arrival order', async () => {
    const lock = keyedLock();
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()] as const;
    const runs = gates.map((gate, i) =>
      lock.run(['user:john'], async () => {
        log.push(`start ${i}`);
        await gate.promise;
        log.push(`end ${i}`);
        return i;
      }),
    );
    await settle();
    expect(log).toEqual(['start 0']);
    gates[2].resolve(); // a later operation's gate opening early changes nothing
    gates[1].resolve();
    await settle();
    expect(log).toEqual(['start 0']);
    gates[0].resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('releases the key when an operation fails', async () => {
    const lock = keyedLock();
    const gate = deferred();
    const first = lock.run(['k'], async () => {
      await gate.promise;
      throw new Error('boom');
    });
    const second = lock.run(['k'], async () => 'second');
    gate.resolve();
    await expect(first).rejects.toThrow('boom');
    expect(await second).toBe('second');
    // A synchronous throw too.
    await expect(
      lock.run(['k'], () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await lock.run(['k'], async () => 'after')).toBe('after');
  });

  it('runs operations on different keys at the same time', async () => {
    const lock = keyedLock();
    const aStarted = deferred();
    const bStarted = deferred();
    // Each waits for the other to have started: only concurrent execution lets both finish.
    const a = lock.run(['user:a'], async () => {
      aStarted.resolve();
      await bStarted.promise;
      return 'a';
    });
    const b = lock.run(['user:b', 'group:x'], async () => {
      bStarted.resolve();
      await aStarted.promise;
      return 'b';
    });
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
  });

  it('does not deadlock on overlapping key sets taken in different orders', async () => {
    const lock = keyedLock();
    const log: string[] = [];
    const gate = deferred();
    const op = (name: string, keys: string[], wait?: Promise<void>) =>
      lock.run(keys, async () => {
        log.push(`start ${name}`);
        if (wait) await wait;
        log.push(`end ${name}`);
        return name;
      });
    const runs = [
      op('xy', ['x', 'y'], gate.promise),
      op('yx', ['y', 'x']),
      op('zy', ['z', 'y']),
      op('xz', ['x', 'z']),
      op('z', ['z', 'z']),
      op('w', ['w']),
    ];
    await settle();
    // Only the first and the disjoint one could start.
    expect(log).toEqual(['start xy', 'start w', 'end w']);
    gate.resolve();
    expect(await Promise.all(runs)).toEqual(['xy', 'yx', 'zy', 'xz', 'z', 'w']);
    // Each operation ran alone on its keys: no start between another's start and end on a shared key.
    const shared = new Map([
      ['xy', ['x', 'y']],
      ['yx', ['x', 'y']],
      ['zy', ['z', 'y']],
      ['xz', ['x', 'z']],
      ['z', ['z']],
      ['w', ['w']],
    ]);
    const keysOf = (name: string) => defined(shared.get(name), `the keys of ${name}`);
    const running = new Set<string>();
    for (const entry of log) {
      const [what, name] = entry.split(' ') as ['start' | 'end', string];
      if (what === 'end') running.delete(name);
      else {
        for (const other of running)
          expect(
            keysOf(other).some((k) => keysOf(name).includes(k)),
            `${name} overlapped ${other}`,
          ).toBe(false);
        running.add(name);
      }
    }
  });

  it('runs work with no keys at once', async () => {
    const lock = keyedLock();
    const gate = deferred();
    const held = lock.run(['k'], () => gate.promise);
    expect(await lock.run([], async () => 'free')).toBe('free');
    gate.resolve();
    await held;
  });
});

describe('secretMatcher', () => {
  const matches = secretMatcher('legacy-s3cret-Zq9');

  it('accepts exactly the secret', () => {
    expect(matches('legacy-s3cret-Zq9')).toBe(true);
  });

  it.each([
    '',
    'legacy-s3cret-Zq',
    'legacy-s3cret-Zq9 ',
    ' legacy-s3cret-Zq9',
    'LEGACY-S3CRET-ZQ9',
    'legacy-s3cret-Zq9\n',
    'legacy-s3cret-Zq9\0',
    'x'.repeat(10_000),
  ])('refuses %j', (presented) => expect(matches(presented)).toBe(false));

  it('compares code points, without Unicode normalisation', () => {
    const composed = secretMatcher('caf\u00e9');
    expect(composed('caf\u00e9')).toBe(true);
    expect(composed('cafe\u0301')).toBe(false);
  });

  it('an empty expected secret matches only the empty string', () => {
    const empty = secretMatcher('');
    expect(empty('')).toBe(true);
    expect(empty(' ')).toBe(false);
  });
});
