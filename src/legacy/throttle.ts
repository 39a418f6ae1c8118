import { isIP } from 'node:net';

/**
 * Slows down secret guessing: a client address that sent `maxFailures` wrong secrets within `windowMs` is refused
 * (even with the right secret, so the refusal reveals nothing) until its oldest failure leaves the window. A right
 * secret does not wipe the count: behind a shared address (a NAT) one client's success must not reset another's
 * guessing, so failures only age out. These counters live in this process; with `REDIS_URL` the replicas count
 * together in Redis instead.
 */
export interface ThrottleOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Addresses remembered at most; the oldest is forgotten first, so memory stays bounded under a spray. */
  readonly maxTracked?: number;
  readonly now?: () => number;
}

/** Counted in this process (`failureThrottle`) or shared by replicas (src/redis/throttle.ts). */
export interface FailureThrottle {
  blocked(address: string): boolean | Promise<boolean>;
  failed(address: string): void | Promise<void>;
}

export function failureThrottle(options: ThrottleOptions): FailureThrottle {
  const { maxFailures, windowMs, maxTracked = 10_000, now = Date.now } = options;
  const failures = new Map<string, number[]>();

  function recent(address: string): number[] {
    const since = now() - windowMs;
    const times = (failures.get(address) ?? []).filter((t) => t > since);
    if (times.length === 0) failures.delete(address);
    else failures.set(address, times);
    return times;
  }

  return {
    blocked: (address) => recent(address).length >= maxFailures,
    failed(address) {
      const times = recent(address);
      failures.delete(address);
      failures.set(address, [...times, now()].slice(-maxFailures));
      if (failures.size > maxTracked) {
        // A Map iterates in insertion order, and an address is re-inserted on each failure: the first is the oldest.
        const oldest = failures.keys().next();
        if (!oldest.done) failures.delete(oldest.value);
      }
    },
  };
}

/**
 * The unit counted: an IPv4 address (IPv4-mapped IPv6 in any spelling included), or an IPv6 address's /64 network,
 * since one IPv6 client commonly holds a whole /64 and could otherwise guess on from fresh addresses.
 */
export function throttleKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = hextets(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return groups
      .slice(6, 8)
      .flatMap((g) => [g >> 8, g & 0xff])
      .join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded and a dotted IPv4 tail as two groups. */
function hextets(address: string): number[] {
  const parse = (part: string | undefined): number[] =>
    part
      ? part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        })
      : [];
  const [head, tail] = address.split('::');
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
