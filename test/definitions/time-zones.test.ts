/** Time zones from the IANA tz database (generators/definitions/time-zones.ts), not Node's ICU build. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTimeZone, suggestTimeZone, timeZoneAreas, tzRelease } from '../../generators/definitions/time-zones.ts';
import { REPO } from '../helpers/fixtures.ts';

describe('isTimeZone', () => {
  it.each(['Asia/Kolkata', 'Europe/Kyiv', 'America/Ciudad_Juarez', 'Asia/Tokyo', 'UTC', 'Etc/UTC', 'Etc/GMT-14'])('GIVEN the zone %s WHEN checked THEN it is valid', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
  });

  it.each(['Asia/Calcutta', 'Europe/Kiev', 'US/Pacific', 'Japan'])('GIVEN the backward link %s (Go\'s tz database, and so Kubernetes, resolves it) WHEN checked THEN it is valid', (link) => {
    expect(isTimeZone(link)).toBe(true);
  });

  it.each(['Mars/Olympus', 'asia/kolkata', 'Asia/Tokio', 'Factory', 'Local', '', 'Asia/Kolkata '])('GIVEN %j WHEN checked THEN it is not a zone', (name) => {
    expect(isTimeZone(name)).toBe(false);
  });
});

describe('suggestTimeZone', () => {
  it.each([
    ['Asia/Tokio', 'Asia/Tokyo'],
    ['tokyo', 'Asia/Tokyo'],
    ['Kolkata', 'Asia/Kolkata'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['new york', 'America/New_York'],
    ['Europe/Kyev', 'Europe/Kyiv'],
  ])('GIVEN %j WHEN a zone is suggested THEN it is %s', (name, zone) => {
    expect(suggestTimeZone(name)).toBe(zone);
  });

  it('GIVEN a name far from every zone WHEN a zone is suggested THEN there is none (no guess is better than a wrong one)', () => {
    expect(suggestTimeZone('Mars/Olympus')).toBeUndefined();
  });
});

describe('the tz release', () => {
  it('GIVEN the tzdata package WHEN read THEN it is release 2026d, as docs/envs.md and the module comment say', () => {
    expect(tzRelease()).toBe('2026d');
    expect(readFileSync(join(REPO, 'docs', 'envs.md'), 'utf8')).toContain(`tz release ${tzRelease()}`);
    expect(readFileSync(join(REPO, 'generators/definitions/time-zones.ts'), 'utf8')).toContain(`${tzRelease()} for tzdata ${(JSON.parse(readFileSync(join(REPO, 'node_modules/tzdata/package.json'), 'utf8')) as { version: string }).version}`);
  });

  it('GIVEN the current zones WHEN their areas are listed THEN they are the ten IANA areas', () => {
    expect(timeZoneAreas()).toEqual(['Africa', 'America', 'Antarctica', 'Asia', 'Atlantic', 'Australia', 'Etc', 'Europe', 'Indian', 'Pacific']);
  });
});
