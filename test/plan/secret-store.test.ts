/**
 * generators/plan/secret-store.ts: the Secrets Manager names of a cluster, split between the
 * platform (one segment under `devfleet/<cluster>/`) and projects (`<project>/<secret>` under it),
 * and the name prefix of the platform's objects in developer namespaces.
 */
import { describe, expect, it } from 'vitest';
import { ALB_OIDC_SECRET, isPlatformRemoteKey, PLATFORM_NAME_PREFIX, projectRemoteKey, remoteKeyPrefix, ssoClientSecretName } from '../../generators/plan/secret-store.ts';

describe('Secrets Manager names of a cluster', () => {
  it('GIVEN cluster dev WHEN its names are made THEN projects get two segments under the prefix and the OIDC client one', () => {
    expect(remoteKeyPrefix('dev')).toBe('devfleet/dev/');
    expect(projectRemoteKey('dev', 'shop', 'shop-db')).toBe('devfleet/dev/shop/shop-db');
    expect(ssoClientSecretName('dev')).toBe('devfleet/dev/sso-oidc');
  });

  it.each([
    ['devfleet/dev/sso-oidc', true],
    ['devfleet/dev/github-app', true],
    ['devfleet/dev/', true],
    ['devfleet/dev/shop/shop-db', false],
    ['devfleet/dev/sso-oidc/extra', false],
    ['devfleet/dev2/sso-oidc', false],
    ['devfleet/dev', false],
    ['other/dev/sso-oidc', false],
  ] as const)('GIVEN remote key %s WHEN asked for cluster dev THEN platform-reserved is %s', (key, reserved) => {
    expect(isPlatformRemoteKey('dev', key)).toBe(reserved);
  });

  it('GIVEN the names the platform uses WHEN checked against its own rules THEN they are reserved and no project name is', () => {
    expect(isPlatformRemoteKey('dev', ssoClientSecretName('dev'))).toBe(true);
    expect(isPlatformRemoteKey('dev', projectRemoteKey('dev', 'sso-oidc', 'x'))).toBe(false);
    expect(ALB_OIDC_SECRET.startsWith(PLATFORM_NAME_PREFIX)).toBe(true);
  });
});
