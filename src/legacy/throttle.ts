import { isIP } from 'node:net';

/**
 * Slows down secret guessing: a client address that sent `maxFailures` wrong secrets within `windowMs` is refused
 * (even with the right secret, so the refusal reveals nothing) until its oldest failure leaves the window. Counters
 * live in this process only; behind a load balancer each replica counts on its own.
 */
export interface ThrottleOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  /** Addresses remembered at most; the oldest is forgotten first, so memory stays bounded under a spray. */
  readonly maxTracked?: number;
  readonly now?: () => number;
}

export interface FailureThrottle {
  blocked(address: string): boolean;
  failed(address: string): void;
  succeeded(address: string): void;
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
      if (failures.size > maxTracked) failures.delete(failures.keys().next().value!);
    },
    succeeded: (address) => void failures.delete(address),
  };
}

/**
 * The unit counted: an IPv4 address, or an IPv6 address's /64 network, since one IPv6 client commonly holds a whole
 * /64 and could otherwise guess on from fresh addresses.
 */
export function throttleKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.toLowerCase().split('::');
  const groups = (part: string | undefined): string[] => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const left = groups(head);
  const right = groups(tail);
  const full = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${full.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
