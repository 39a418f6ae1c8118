import type { AddressList } from './address-list.js';

/**
 * The address a request comes from. `X-Forwarded-For` is believed only when the peer is a trusted proxy, and then
 * read from the right: each hop appended by a trusted proxy is skipped, and the first address not in `trusted` is
 * the client. Headers from anyone else are ignored, unlike Openfire's allowlist (openfire-rest-api.md §12.6 item 3).
 */
export function clientAddress(peer: string, forwardedFor: string | null, trusted: AddressList): string {
  if (trusted.size === 0 || forwardedFor === null || !trusted.has(peer)) return peer;
  const hops = forwardedFor.split(',').map((hop) => hop.trim().replace(/^\[(.*)\]$/, '$1'));
  let address = peer;
  for (let i = hops.length - 1; i >= 0 && trusted.has(address); i--) address = hops[i] ?? '';
  return address;
}
