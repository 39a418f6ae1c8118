import { describe, expect, it } from 'vitest';
import { domainSource } from '../../src/request/domain.js';

describe('the process-wide XMPP domain', () => {
  it('uses the configured domain without reading', async () => {
    let reads = 0;
    const domains = domainSource({ configured: 'example.org' });
    expect(await domains.get(async () => `read-${++reads}`)).toBe('example.org');
    expect(reads).toBe(0);
  });

  it('reads once for concurrent first requests, then keeps the value', async () => {
    let reads = 0;
    const domains = domainSource({ configured: null });
    const read = async () => `example-${++reads}.org`;
    expect(await Promise.all([domains.get(read), domains.get(read)])).toEqual(['example-1.org', 'example-1.org']);
    expect(await domains.get(read)).toBe('example-1.org');
    expect(reads).toBe(1);
  });

  it('does not keep a failed read: the next request tries again', async () => {
    const domains = domainSource({ configured: null });
    await expect(domains.get(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await domains.get(async () => 'example.org')).toBe('example.org');
  });

  it('reads a stale value again in the background, answering with the known one meanwhile', async () => {
    let clock = 0;
    const failures: unknown[] = [];
    const domains = domainSource({
      configured: null,
      refreshMs: 1000,
      now: () => clock,
      onRefreshError: (error) => failures.push(error),
    });
    expect(await domains.get(async () => 'old.example.org')).toBe('old.example.org');
    clock = 1000;
    let finish: (value: string) => void = () => undefined;
    const pending = new Promise<string>((resolve) => {
      finish = resolve;
    });
    expect(await domains.get(() => pending)).toBe('old.example.org');
    finish('new.example.org');
    await pending;
    expect(await domains.get(async () => 'unused')).toBe('new.example.org');
    clock = 2000;
    expect(await domains.get(() => Promise.reject(new Error('refresh failed')))).toBe('new.example.org');
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual([new Error('refresh failed')]);
    expect(await domains.get(async () => 'newest.example.org')).toBe('new.example.org');
  });
});
