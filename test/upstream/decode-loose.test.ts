import { describe, expect, it } from 'vitest';
import { boolean, DecodeError, date, items, list, number, pair, text } from '../../src/upstream/codec/loose.js';
import { parseXml } from '../../src/upstream/codec/xml.js';

/** The tolerant readers and the XML parser the decoders stand on (openfire-rest-api.md §10's robustness checklist). */
describe('loose readers', () => {
  it.each<[unknown, string | null]>([
    ['a', 'a'],
    ['', ''],
    [7, '7'],
    [false, 'false'],
    [{ '#text': 'x', '@lang': 'en' }, 'x'],
    [{ '@xsi:nil': 'true' }, null],
    [['a'], null],
    [Number.NaN, null],
    [null, null],
    [undefined, null],
  ])('read text from %j as %j', (input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each<[unknown, number | null]>([
    [5, 5],
    ['30', 30],
    [' -2 ', -2],
    ['1.5', 1.5],
    [{ '#text': '4' }, 4],
    ['', null],
    ['x1', null],
    [true, null],
    [Number.POSITIVE_INFINITY, null],
    [null, null],
  ])('read a number from %j as %j', (input, expected) => {
    expect(number(input)).toBe(expected);
  });

  it.each<[unknown, boolean | null]>([
    [true, true],
    ['TRUE', true],
    ['False', false],
    [' true ', true],
    ['yes', null],
    [1, null],
    [null, null],
  ])('read a boolean from %j as %j', (input, expected) => {
    expect(boolean(input)).toBe(expected);
  });

  it.each<[unknown, number | null]>([
    [1644246591517, 1644246591517],
    ['1644246591517', 1644246591517],
    ['2022-02-07T16:09:51.517+01:00', 1644246591517],
    ['2022-02-07T15:09:51.517Z', 1644246591517],
    ['2022-02-07T15:09:51Z', 1644246591000],
    // No zone: read as UTC, not in this process's zone.
    ['2022-02-07T15:09:51.517', 1644246591517],
    [{ '#text': '2022-02-07T16:09:51.517+0100' }, 1644246591517],
    ['yesterday', null],
    ['2022-13-45T99:00:00Z', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('read a date from %j as %j', (input, expected) => {
    expect(date(input)).toBe(expected);
  });

  it('read a list as an array, a bare item, a wrapper object or nothing', () => {
    const item = { key: 'k' };
    expect(list({ users: [item, item] }, 'users', 'user')).toStrictEqual([item, item]);
    expect(list({ user: item }, 'users', 'user')).toStrictEqual([item]);
    expect(list({ users: item }, 'users', 'user')).toStrictEqual([item]);
    expect(list({ owners: { owner: 'a@b' } }, 'owners', 'owner')).toStrictEqual(['a@b']);
    expect(list({ owners: { owner: ['a@b', 'c@d'] } }, 'owners', 'owner')).toStrictEqual(['a@b', 'c@d']);
    expect(list({ owners: 'a@b' }, 'owners', 'owner')).toStrictEqual(['a@b']);
  });

  it('read absent, null and empty-element lists as empty', () => {
    for (const container of [{}, { a: null }, { a: '' }, { a: '\n  ' }, 'x']) {
      expect(list(container, 'a')).toStrictEqual([]);
    }
    expect(list({ owners: null, owner: ['a'] }, 'owners', 'owner')).toStrictEqual(['a']);
    expect(items({ result: null }, 'result')).toStrictEqual([]);
  });

  it('read key/value pairs with or without the @ prefix', () => {
    expect([pair({ key: 'k', value: 'v' }), pair({ '@key': 'k', '@value': 'v' }), pair({ key: 'k' })]).toStrictEqual([
      { key: 'k', value: 'v' },
      { key: 'k', value: 'v' },
      { key: 'k', value: null },
    ]);
  });
});

describe('parseXml', () => {
  it('returns the root content with attributes prefixed by @ and values kept as strings', () => {
    const xml = '<user><username>007</username><properties><property key="a" value="true"/></properties></user>';
    expect(parseXml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${xml}`)).toStrictEqual({
      username: '007',
      properties: { property: [{ '@key': 'a', '@value': 'true' }] },
    });
  });

  it('reads a single repeated item as a list, but not the root or same-named scalars', () => {
    const messages = parseXml('<messages><message><body>x</body></message></messages>');
    expect(messages).toStrictEqual({ message: [{ body: 'x' }] });
    expect(parseXml('<rosterItem><jid>a@b</jid><groups><group>g</group></groups></rosterItem>')).toStrictEqual({
      jid: 'a@b',
      groups: { group: ['g'] },
    });
    const error = parseXml('<error><exception>E</exception><message>m</message></error>');
    expect(error).toStrictEqual({ exception: 'E', message: 'm' });
  });

  it('returns an empty object for an empty root', () => {
    expect([parseXml('<users/>'), parseXml('<users>\n</users>')]).toStrictEqual([{}, {}]);
  });

  it.each(['', 'plain text', '<a>', '<a></b>', '<a/><b/>', '<__proto__/>'])('rejects %j', (body) => {
    expect(() => parseXml(body)).toThrow(DecodeError);
  });
});
