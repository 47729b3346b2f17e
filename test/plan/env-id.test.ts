/** One env identity (generators/plan/env-id.ts): its text form, and Application names resolved by look-up. */
import { describe, expect, it } from 'vitest';
import { formatEnvId, parseEnvId, sameEnv, type NamedEnv } from '../../generators/plan/env-id.ts';
import { applicationName } from '../../generators/plan/names.ts';

const LONG_PROJECT = 'customer-self-service-portal-for-partner';
const LONG_DEVELOPER = 'christopher-alexander-montgomery-smith2';

const named = (developer: string, project: string): NamedEnv => ({ id: { developer, project }, application: applicationName(project, developer) });
const ENVS = [named('alice', 'my-app'), named(LONG_DEVELOPER, LONG_PROJECT), named('bob', 'a-b')];

describe('formatEnvId', () => {
  it('GIVEN an env id WHEN formatted THEN it is <developer>/<project> with the real names', () => {
    expect(formatEnvId({ developer: 'alice', project: 'my-app' })).toBe('alice/my-app');
    expect(formatEnvId({ developer: LONG_DEVELOPER, project: LONG_PROJECT })).toBe(`${LONG_DEVELOPER}/${LONG_PROJECT}`);
  });
});

describe('parseEnvId', () => {
  it('GIVEN <developer>/<project> WHEN parsed THEN it is that id, whether or not such an env exists', () => {
    expect(parseEnvId('alice/my-app', ENVS)).toEqual({ developer: 'alice', project: 'my-app' });
    expect(parseEnvId('zoe/nothing', [])).toEqual({ developer: 'zoe', project: 'nothing' });
  });

  it('GIVEN an Application name as Argo CD shows it WHEN parsed THEN the env is found by its name', () => {
    expect(parseEnvId('my-app--alice', ENVS)).toEqual({ developer: 'alice', project: 'my-app' });
    expect(parseEnvId('a-b--bob', ENVS)).toEqual({ developer: 'bob', project: 'a-b' });
  });

  it('GIVEN a shortened Application name WHEN parsed THEN the look-up finds the real names (splitting it would give "christopher-b0803319")', () => {
    const shortened = applicationName(LONG_PROJECT, LONG_DEVELOPER);
    expect(shortened).toBe(`${LONG_PROJECT}--christopher-b0803319`);
    expect(parseEnvId(shortened, ENVS)).toEqual({ developer: LONG_DEVELOPER, project: LONG_PROJECT });
  });

  it.each(['my-app--carol', 'alice', 'a/b/c', 'alice/', ' alice/my-app', ''])('GIVEN "%s" (no such Application, or not an id) WHEN parsed THEN it is undefined', (text) => {
    expect(parseEnvId(text, ENVS)).toBeUndefined();
  });
});

describe('sameEnv', () => {
  it('GIVEN two ids WHEN compared THEN they are the same only when developer and project both are', () => {
    expect(sameEnv({ developer: 'a', project: 'p' }, { developer: 'a', project: 'p' })).toBe(true);
    expect(sameEnv({ developer: 'a', project: 'p' }, { developer: 'p', project: 'a' })).toBe(false);
  });
});
