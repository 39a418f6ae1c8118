import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * Every installed package supports the oldest Node.js the project does, so `npm install` prints no engine warning
 * there (docs/architecture.md, Dependencies: the overrides that make it so).
 */
const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));
const project = read('package.json') as { engines: { node: string } };
const lock = read('package-lock.json') as { packages: Record<string, { engines?: { node?: string } }> };

describe('dependencies', () => {
  const oldest = semver.minVersion(project.engines.node)?.version ?? '';

  it('declare a Node.js range the project states', () => {
    expect(oldest).toBe('20.19.0');
  });

  it('all accept the oldest supported Node.js, per the lockfile', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([, meta]) => meta.engines?.node !== undefined)
      .filter(([, meta]) => !semver.satisfies(oldest, meta.engines?.node ?? '*'))
      .map(([path, meta]) => `${path} wants node ${meta.engines?.node}`);
    expect(refusing).toEqual([]);
  });
});
