import { describe, expect, it } from 'vitest';
import { defaultProperties } from '../../src/emulator/seeds/properties.js';

const properties = defaultProperties({ domain: 'chat.example.net', secret: 'potato', httpAuth: 'basic' });
const byKey = new Map(properties);

describe('default system properties', () => {
  it('lists at least 150 properties, each key once, sorted by key', () => {
    const keys = properties.map(([key]) => key);
    expect(keys.length).toBeGreaterThanOrEqual(150);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('takes domain, secret, auth mode and admin from the settings', () => {
    expect(byKey.get('xmpp.domain')).toBe('chat.example.net');
    expect(byKey.get('plugin.restapi.secret')).toBe('potato');
    expect(byKey.get('plugin.restapi.httpAuth')).toBe('basic');
    expect(byKey.get('admin.authorizedJIDs')).toBe('admin@chat.example.net');
  });

  it('includes the plugin settings and the keys a fresh Openfire install has', () => {
    expect(Object.fromEntries(properties.filter(([key]) => key.startsWith('plugin.restapi.')))).toEqual({
      'plugin.restapi.allowedIPs': '',
      'plugin.restapi.customAuthFilter': '',
      'plugin.restapi.enabled': 'true',
      'plugin.restapi.httpAuth': 'basic',
      'plugin.restapi.muc.case-insensitive-lookup.enabled': 'false',
      'plugin.restapi.muc.room-mutex.enabled': 'true',
      'plugin.restapi.secret': 'potato',
      'plugin.restapi.serviceLoggingEnabled': 'false',
    });
    const required = [
      'xmpp.fqdn',
      'xmpp.socket.ssl.active',
      'xmpp.auth.anonymous',
      'xmpp.session.conflict-limit',
      'update.lastCheck',
      'adminConsole.port',
      'adminConsole.securePort',
      'xmpp.client.idle',
      'register.inband',
      'passwordKey',
      'locale',
      'setup',
    ];
    for (const key of required) expect(byKey.get(key), key).toEqual(expect.any(String));
    expect(byKey.get('provider.user.className')).toBe('org.jivesoftware.openfire.user.DefaultUserProvider');
    expect(byKey.get('adminConsole.access.allow-wildcards-in-excludes')).toBe('true');
    expect(properties.some(([key]) => /^cache\..+\.size$/.test(key))).toBe(true);
    expect(properties.some(([key]) => key.startsWith('xmpp.httpbind.'))).toBe(true);
    expect(properties.some(([key]) => key.startsWith('mediaproxy.'))).toBe(true);
  });

  it('has a handful of registered default-only properties without a value', () => {
    expect(properties.filter(([, value]) => value === null).length).toBeGreaterThanOrEqual(5);
  });
});
