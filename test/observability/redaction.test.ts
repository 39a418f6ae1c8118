import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { scrub } from '../../src/observability/scrub.js';
import { defined } from '../helpers/defined.js';
import { type ParsedJson, SECRET } from '../helpers/emulator.js';
import { secretHits, TEST_PASSWORD } from '../helpers/log-sink.js';

/** A logger at trace level writing into an array. */
function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', destination: { write: (line: string) => lines.push(line) } });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, ParsedJson>) };
}

describe('scrub', () => {
  it.each([
    [
      'a query string',
      'GET /userservice?type=add&secret=s3cr3t&password=hunter2&username=x',
      'GET /userservice?type=add&secret=[REDACTED]&password=[REDACTED]&username=x',
    ],
    ['a header', 'sent Authorization: abc123 to Openfire', 'sent Authorization: [REDACTED] to Openfire'],
    ['a Basic header', 'authorization=Basic YWRtaW46cHc=, then', 'authorization=[REDACTED], then'],
    ['a bare Bearer token', 'token was Bearer abc.def-ghi', 'token was Bearer [REDACTED]'],
    [
      'JSON in a message',
      '{"username":"x","password":"hunter2","secret":"s"}',
      '{"username":"x","password":"[REDACTED]","secret":"[REDACTED]"}',
    ],
    [
      'nothing secret',
      'Openfire GET /users/{username}: UserNotFoundException: not found',
      'Openfire GET /users/{username}: UserNotFoundException: not found',
    ],
  ])('removes credentials from %s', (_what, text, expected) => {
    expect(scrub(text)).toBe(expected);
  });

  it('leaves text without credential words as it is', () => {
    const line = JSON.stringify({ msg: 'request', path: '/graphql', status: 200 });
    expect(scrub(line)).toBe(line);
  });

  it('leaves a JSON line valid JSON', () => {
    const line = JSON.stringify({ msg: 'x', cause: 'secret=abc "Authorization: Basic Zm9v" password="pw"' });
    const parsed = JSON.parse(scrub(line));
    expect(parsed.cause).toBe('secret=[REDACTED] "Authorization: [REDACTED]" password="pw"');
  });
});

describe('createLogger', () => {
  it('writes JSON lines with the time and level names, at the level asked for', () => {
    const { logger, records } = capture();
    logger.trace({ n: 1 }, 'fine');
    const quiet = capture();
    const info = createLogger({ level: 'info', destination: { write: (line: string) => quiet.lines.push(line) } });
    info.debug('hidden');
    info.warn('shown');
    expect(records()).toEqual([
      expect.objectContaining({ level: 'trace', msg: 'fine', n: 1, time: expect.any(Number) }),
    ]);
    expect(quiet.records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('redacts credential keys at the top, one level down and in headers', () => {
    const { logger, lines, records } = capture();
    logger.info(
      {
        authorization: SECRET,
        secret: SECRET,
        password: TEST_PASSWORD,
        user: { name: 'x', password: TEST_PASSWORD },
        req: { headers: { authorization: `Bearer ${SECRET}`, cookie: 'sid=1' } },
      },
      'hello',
    );
    expect(records()[0]).toMatchObject({
      authorization: '[REDACTED]',
      secret: '[REDACTED]',
      password: '[REDACTED]',
      user: { name: 'x', password: '[REDACTED]' },
      req: { headers: { authorization: '[REDACTED]', cookie: '[REDACTED]' } },
    });
    expect(secretHits(lines)).toEqual([]);
  });

  it('scrubs error messages and stacks, and whatever else reaches a line', () => {
    const { logger, lines, records } = capture();
    const error = new Error(`failed: https://of/userservice?secret=${SECRET}&password=${TEST_PASSWORD}`);
    logger.error({ err: error }, 'boom');
    logger.warn(`header was Authorization: ${SECRET}`);
    logger.info({ detail: `Basic ${Buffer.from(`admin:${TEST_PASSWORD}`).toString('base64')}` }, 'x');
    expect(secretHits(lines)).toEqual([]);
    const { err } = defined(records()[0], 'the error line');
    expect(err.message).toBe('failed: https://of/userservice?secret=[REDACTED]&password=[REDACTED]');
    expect(err.stack).toContain('secret=[REDACTED]');
    expect(lines.join('')).not.toContain(Buffer.from(`admin:${TEST_PASSWORD}`).toString('base64'));
  });
});

describe('the log sink scan', () => {
  it('finds a test secret in a line, and shows the line with the secret replaced', () => {
    const hits = secretHits([
      '{"msg":"fine"}',
      `{"msg":"oops ${SECRET}"}`,
      `{"encoded":"${encodeURIComponent(TEST_PASSWORD)}"}`,
    ]);
    expect(hits).toHaveLength(2);
    expect(hits.join('\n')).not.toContain(SECRET);
    expect(hits[0]).toMatch(/oops <test secret #\d+>/);
  });
});
