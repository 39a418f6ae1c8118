import { describe, expect, it } from 'vitest';
import { type BannerFacts, banner, reachableBase, startWarnings } from '../src/banner.js';

const embedded: BannerFacts = {
  host: '127.0.0.1',
  port: 4000,
  upstream: { kind: 'embedded', url: 'http://127.0.0.1:40417/plugins/restapi/v1', seed: 'showcase', secret: 's3cr3t' },
  auth: 'passthrough',
  graphiql: true,
  legacy: false,
};

describe('the start-up banner', () => {
  it('shows where everything is and the credential to send, in embedded passthrough mode', () => {
    expect(banner(embedded)).toBe(
      [
        'Openfire gateway listening on http://127.0.0.1:4000',
        '  upstream: embedded Openfire REST API emulator at http://127.0.0.1:40417/plugins/restapi/v1 (showcase data)',
        '  credential: Authorization: s3cr3t',
        '  GraphQL: http://127.0.0.1:4000/graphql',
        '  GraphiQL: http://127.0.0.1:4000/graphql',
        '  health: http://127.0.0.1:4000/healthz',
        '  legacy: http://127.0.0.1:4000/userservice?type=grouplist&secret=<USERSERVICE_SECRET> (disabled: set USERSERVICE_SECRET)',
        '',
      ].join('\n'),
    );
  });

  it('shows an API-key placeholder, never the upstream secret, with API keys', () => {
    const text = banner({ ...embedded, auth: 'keys' });
    expect(text).toContain('  credential: Authorization: Bearer <one of GATEWAY_API_KEYS>\n');
    expect(text).not.toContain('s3cr3t');
  });

  it('prints the demo user’s ready token after the credential in embedded mode', () => {
    const text = banner({ ...embedded, tokens: { kind: 'demo', username: 'jane', token: 'eyJ.demo.token' } });
    expect(text.split('\n').slice(2, 4)).toEqual([
      '  credential: Authorization: s3cr3t',
      '  user token (jane): Bearer eyJ.demo.token',
    ]);
  });

  it('names where configured tokens come from, never a secret', () => {
    const remote = { ...embedded, upstream: { kind: 'remote', url: 'http://openfire:9090' } } as const;
    expect(
      banner({ ...remote, tokens: { kind: 'configured', from: 'https://sso.example.com/realms/chat' } }),
    ).toContain('  tokens: Authorization: Bearer <JWT signed by https://sso.example.com/realms/chat>\n');
    expect(banner({ ...remote, tokens: { kind: 'configured', from: 'AUTH_JWT_SECRET' } })).toContain(
      '  tokens: Authorization: Bearer <JWT signed by AUTH_JWT_SECRET>\n',
    );
    expect(banner({ ...remote, tokens: null })).not.toContain('token');
  });

  it('names no secret in front of a real Openfire, and no GraphiQL line when it is off', () => {
    const text = banner({
      ...embedded,
      upstream: { kind: 'remote', url: 'http://openfire:9090/plugins/restapi/v1' },
      graphiql: false,
      legacy: true,
    });
    expect(text).toContain('  upstream: http://openfire:9090/plugins/restapi/v1\n');
    expect(text).toContain('  credential: Authorization: <your Openfire secret, or Basic with an admin account>\n');
    expect(text).not.toContain('GraphiQL');
    expect(text).toContain('secret=<USERSERVICE_SECRET>\n');
  });
});

describe('start-up warnings', () => {
  it.each(['0.0.0.0', '::', '192.0.2.10'])('warns about the embedded emulator bound to %s', (host) => {
    expect(startWarnings({ ...embedded, host })).toEqual([
      `warning: HOST=${host} with the embedded emulator: anyone who can reach port 4000 can use its demo data, and ` +
        'GraphiQL hands them its credential. Bind HOST=127.0.0.1, or set OPENFIRE_URL for a real Openfire.',
    ]);
  });

  it('does not mention a credential GraphiQL does not hand out (API keys)', () => {
    expect(startWarnings({ ...embedded, host: '0.0.0.0', auth: 'keys' })[0]).not.toContain('GraphiQL');
  });

  it('warns that GraphiQL hands out the demo user’s token, with API keys too', () => {
    const demo = { kind: 'demo', username: 'jane', token: 'eyJ.demo.token' } as const;
    expect(startWarnings({ ...embedded, host: '0.0.0.0', auth: 'keys', tokens: demo })[0]).toContain(
      'GraphiQL hands them its credential',
    );
    expect(
      startWarnings({ ...embedded, host: '0.0.0.0', auth: 'keys', tokens: demo, graphiql: false })[0],
    ).not.toContain('GraphiQL');
  });

  it.each(['127.0.0.1', '127.0.0.2', '::1', 'localhost'])('stays quiet on loopback (%s)', (host) => {
    expect(startWarnings({ ...embedded, host })).toEqual([]);
  });

  it('stays quiet in front of a real Openfire', () => {
    expect(
      startWarnings({ ...embedded, host: '0.0.0.0', upstream: { kind: 'remote', url: 'http://openfire:9090' } }),
    ).toEqual([]);
  });
});

describe('reachableBase', () => {
  it('shows a wildcard bind as an address one can open, and brackets IPv6', () => {
    expect(reachableBase('0.0.0.0', 4000)).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:4000$/);
    expect(reachableBase('0.0.0.0', 4000)).not.toContain('0.0.0.0:');
    expect(reachableBase('::1', 4000)).toBe('http://[::1]:4000');
    expect(reachableBase('10.1.2.3', 80)).toBe('http://10.1.2.3:80');
  });
});
