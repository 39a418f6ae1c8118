import { isIP } from 'node:net';
import type { AddressList } from './address-list.js';

/**
 * One spelling per address, so that limits and logs key a client once: a port is dropped (`203.0.113.5:1234`,
 * `[2001:db8::1]:443`), brackets too, an IPv4-mapped IPv6 address becomes its IPv4 (`::ffff:203.0.113.5`), IPv6 is
 * lower case and compressed. Anything that is no address stays as given.
 */
export function normalizeAddress(raw: string): string {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  if (isIP(value) !== 6) return value;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  if (mapped?.[1]) return mapped[1];
  // A zone (`fe80::1%eth0`) is not for the URL parser; such a link-local peer is only ever a local client.
  if (value.includes('%')) return value.toLowerCase();
  // The URL parser writes an IPv6 host in its one canonical form.
  return new URL(`http://[${value}]/`).hostname.slice(1, -1);
}

/**
 * The address a request comes from, normalised. `X-Forwarded-For` is believed only when the peer is a trusted proxy,
 * and then read from the right: each hop appended by a trusted proxy is skipped, and the first address not in
 * `trusted` is the client. Headers from anyone else are ignored, unlike Openfire's allowlist
 * (openfire-rest-api.md §12.6 item 3).
 */
export function clientAddress(peer: string, forwardedFor: string | null, trusted: AddressList): string {
  const from = normalizeAddress(peer);
  if (trusted.size === 0 || forwardedFor === null || !trusted.has(from)) return from;
  const hops = forwardedFor.split(',').map(normalizeAddress);
  let address = from;
  for (let i = hops.length - 1; i >= 0 && trusted.has(address); i--) address = hops[i] ?? '';
  return address;
}
