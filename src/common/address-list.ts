import { BlockList, isIP } from 'node:net';

/**
 * A set of IP addresses and CIDR ranges (`10.0.0.0/8`, `192.168.1.5`, `fd00::/8`), as `USERSERVICE_ALLOWED_IPS` and
 * `TRUST_PROXY` give them. IPv4-mapped IPv6 peers (`::ffff:10.1.2.3`) match their IPv4 entries.
 */
export interface AddressList {
  readonly size: number;
  has(address: string): boolean;
}

export class AddressListError extends Error {}

/** Splits and checks a comma-separated list; the error names the first bad entry. */
export function parseAddressList(value: string): string[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 6 ? 128 : 32;
    const badPrefix = prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits);
    if (family === 0 || badPrefix || extra !== undefined) {
      throw new AddressListError(
        `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 192.168.1.5, fd00::/8)`,
      );
    }
  }
  return entries;
}

export function addressList(entries: readonly string[]): AddressList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return {
    size: entries.length,
    has(address) {
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}
