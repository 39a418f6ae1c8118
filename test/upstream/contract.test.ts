import { describe, expect, it } from 'vitest';
import { routeKeys } from '../../src/upstream/routes.js';
import { affiliationCases } from './contract/cases-affiliations.js';
import { docsCases } from './contract/cases-docs.js';
import { groupCases } from './contract/cases-groups.js';
import { healthCases } from './contract/cases-health.js';
import { liveCases } from './contract/cases-live.js';
import { occupantCases } from './contract/cases-occupants.js';
import { roomCases } from './contract/cases-rooms.js';
import { rosterCases } from './contract/cases-roster.js';
import { systemCases } from './contract/cases-system.js';
import { userGroupCases } from './contract/cases-user-groups.js';
import { userCases } from './contract/cases-users.js';
import { useFixtures } from './contract/fixtures.js';
import { contractFor, type Declared, FORMATS, useTarget } from './contract/target.js';

/**
 * The typed client against every route of the table, in both response formats: a success round trip decoded into
 * the canonical model, and Openfire's typical error classified. Runs on the emulator, or on a real Openfire when
 * OPENFIRE_URL and a credential are set (see target.ts).
 */
const target = useTarget();
const fx = useFixtures(target);

const declared: Declared = { json: new Set(), xml: new Set() };

describe.each(FORMATS)('the %s client', (format) => {
  const contract = contractFor(target, format, fx, declared);
  userCases(contract);
  userGroupCases(contract);
  rosterCases(contract);
  groupCases(contract);
  roomCases(contract);
  occupantCases(contract);
  affiliationCases(contract);
  systemCases(contract);
  healthCases(contract);
  liveCases(contract);
  docsCases(contract);
});

// Every case block checks that its tests called its route; this checks that every route has a case block.
describe('coverage', () => {
  it.each(FORMATS)('has cases for every route of the table with the %s client', (format) => {
    expect(routeKeys.filter((route) => !declared[format].has(route))).toEqual([]);
  });
});
