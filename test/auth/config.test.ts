import { describe, expect, it } from 'vitest';
import { ConfigError, GATEWAY_USAGE, loadConfig } from '../../src/config.js';
import { HS_SECRET } from '../helpers/identity-provider.js';

/** The `AUTH_*` settings: one key source, what each needs, and the combinations start-up refuses. */
const jwksEnv = {
  AUTH_JWT_JWKS_URL: 'https://idp.example.com/realms/chat/protocol/openid-connect/certs',
  AUTH_JWT_ISSUER: 'https://idp.example.com/realms/chat',
  AUTH_JWT_AUDIENCE: 'openfire-gateway',
};

describe('token settings', () => {
  it('are off by default, end users allowed to change their password and use the directory', () => {
    expect(loadConfig({}, []).auth).toEqual({ jwt: null, userPolicy: { passwordChange: true, directory: true } });
    expect(loadConfig({ AUTH_USER_PASSWORD_CHANGE: 'false' }, ['--auth-user-directory', 'no']).auth.userPolicy).toEqual(
      { passwordChange: false, directory: false },
    );
  });

  it('read a JWKS URL with its issuer and audience, and the defaults', () => {
    expect(loadConfig(jwksEnv, []).auth.jwt).toEqual({
      source: { kind: 'jwks', url: jwksEnv.AUTH_JWT_JWKS_URL },
      issuer: jwksEnv.AUTH_JWT_ISSUER,
      audience: 'openfire-gateway',
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      clockToleranceS: 30,
      usernameClaim: 'preferred_username',
      rolesClaim: 'roles',
      adminRole: 'openfire-admin',
      readRole: 'openfire-read',
    });
  });

  it('read every claim setting, from flags too', () => {
    const jwt = loadConfig(
      { ...jwksEnv, AUTH_JWT_ALGORITHMS: 'PS256, ES384', AUTH_JWT_ROLES_CLAIM: 'realm_access.roles' },
      [
        '--auth-jwt-clock-tolerance-s',
        '0',
        '--auth-jwt-username-claim',
        'email',
        '--auth-jwt-admin-role',
        'chat-admin',
        '--auth-jwt-read-role',
        'chat-audit',
      ],
    ).auth.jwt;
    expect(jwt).toMatchObject({
      algorithms: ['PS256', 'ES384'],
      clockToleranceS: 0,
      usernameClaim: 'email',
      rolesClaim: 'realm_access.roles',
      adminRole: 'chat-admin',
      readRole: 'chat-audit',
    });
  });

  it('read an OIDC issuer (the token issuer then defaults to the discovered one) and a secret for HS256', () => {
    expect(
      loadConfig({ AUTH_OIDC_ISSUER: 'https://idp.example.com/realms/chat', AUTH_JWT_AUDIENCE: 'gw' }, []).auth.jwt,
    ).toMatchObject({
      source: { kind: 'oidc', issuer: 'https://idp.example.com/realms/chat' },
      issuer: null,
      audience: 'gw',
    });
    expect(loadConfig({ AUTH_JWT_SECRET: HS_SECRET }, []).auth.jwt).toMatchObject({
      source: { kind: 'secret', secret: HS_SECRET },
      issuer: null,
      audience: null,
      algorithms: ['HS256'],
    });
  });

  it('keep the secret out of flags and --help', () => {
    expect(() => loadConfig({}, ['--auth-jwt-secret', HS_SECRET])).toThrow(ConfigError);
    expect(GATEWAY_USAGE).toMatch(/^ {2}AUTH_JWT_SECRET +\(environment only\)/m);
  });

  it.each([
    [
      { ...jwksEnv, AUTH_JWT_SECRET: HS_SECRET },
      'set one key source for tokens, not AUTH_JWT_JWKS_URL and AUTH_JWT_SECRET',
    ],
    [
      { ...jwksEnv, AUTH_OIDC_ISSUER: 'https://idp.example.com' },
      'set one key source for tokens, not AUTH_JWT_JWKS_URL and AUTH_OIDC_ISSUER',
    ],
    [{ AUTH_JWT_SECRET: 'short-secret-of-31-bytes-000000' }, 'AUTH_JWT_SECRET must be at least 32 bytes long'],
    [{ AUTH_JWT_JWKS_URL: jwksEnv.AUTH_JWT_JWKS_URL }, 'AUTH_JWT_JWKS_URL needs AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE'],
    [{ ...jwksEnv, AUTH_JWT_ISSUER: ' ' }, 'AUTH_JWT_JWKS_URL needs AUTH_JWT_ISSUER'],
    [{ AUTH_OIDC_ISSUER: 'https://idp.example.com' }, 'AUTH_OIDC_ISSUER needs AUTH_JWT_AUDIENCE'],
    [
      { ...jwksEnv, AUTH_JWT_JWKS_URL: 'idp/certs' },
      'AUTH_JWT_JWKS_URL must be an absolute http(s) URL, got "idp/certs"',
    ],
    [
      { ...jwksEnv, AUTH_JWT_ALGORITHMS: 'RS256,HS256' },
      'AUTH_JWT_ALGORITHMS: "HS256" is not allowed with AUTH_JWT_JWKS_URL; use RS256, RS384',
    ],
    [{ ...jwksEnv, AUTH_JWT_ALGORITHMS: 'none' }, 'AUTH_JWT_ALGORITHMS: "none" is not allowed'],
    [
      { AUTH_JWT_SECRET: HS_SECRET, AUTH_JWT_ALGORITHMS: 'RS256' },
      'AUTH_JWT_ALGORITHMS: "RS256" is not allowed with AUTH_JWT_SECRET; use HS256, HS384, HS512',
    ],
    [{ ...jwksEnv, AUTH_JWT_ALGORITHMS: ',' }, 'AUTH_JWT_ALGORITHMS must name at least one of'],
    [{ ...jwksEnv, AUTH_JWT_CLOCK_TOLERANCE_S: '-1' }, 'AUTH_JWT_CLOCK_TOLERANCE_S must be an integer of 0 or more'],
    [
      { AUTH_JWT_AUDIENCE: 'gw' },
      'AUTH_JWT_AUDIENCE needs a key source: AUTH_JWT_JWKS_URL, AUTH_OIDC_ISSUER, AUTH_JWT_SECRET',
    ],
    [
      { ...jwksEnv, OPENFIRE_URL: 'http://openfire:9090' },
      "AUTH_JWT_JWKS_URL with OPENFIRE_URL needs the gateway's own Openfire credential: OPENFIRE_SECRET, or " +
        'OPENFIRE_USERNAME and OPENFIRE_PASSWORD',
    ],
    [
      { AUTH_JWT_SECRET: HS_SECRET, OPENFIRE_URL: 'http://openfire:9090' },
      "AUTH_JWT_SECRET with OPENFIRE_URL needs the gateway's own Openfire credential",
    ],
  ])('refuse %j, naming the settings and never the secret', (env, message) => {
    expect(() => loadConfig(env, [])).toThrow(ConfigError);
    expect(() => loadConfig(env, [])).toThrow(message);
    try {
      loadConfig(env, []);
    } catch (error) {
      expect((error as Error).message).not.toContain(HS_SECRET);
      expect((error as Error).message).not.toContain('short-secret');
    }
  });

  it('accept tokens in front of a real Openfire with the gateway’s credential', () => {
    const config = loadConfig({ ...jwksEnv, OPENFIRE_URL: 'http://openfire:9090', OPENFIRE_SECRET: 's' }, []);
    expect(config.auth.jwt?.source.kind).toBe('jwks');
    expect(config.credential).toEqual({ kind: 'secret', secret: 's' });
  });
});
