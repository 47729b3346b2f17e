/**
 * generators/plan/secret-store.ts: the Secrets Manager names of a cluster, split between the
 * platform (one segment under `devfleet/<cluster>/`) and projects (`<project>/<secret>` under it),
 * the place of any name by exact text (whose prefix it is under), and the name prefix of the
 * platform's objects in developer namespaces.
 */
import { describe, expect, it } from 'vitest';
import { ALB_OIDC_SECRET, isPlatformRemoteKey, PLATFORM_NAME_PREFIX, projectKeyPrefix, projectRemoteKey, remoteKeyPlace, remoteKeyPrefix, ssoClientSecretName, type RemoteKeyPlace } from '../../generators/plan/secret-store.ts';

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

  it.each<[string, RemoteKeyPlace]>([
    ['devfleet/dev/shop/stripe', { kind: 'project', project: 'shop' }],
    ['devfleet/dev/shop/stripe/live', { kind: 'project', project: 'shop' }],
    ['devfleet/dev/shop-admin/x', { kind: 'project', project: 'shop-admin' }],
    ['devfleet/dev/Shop/x', { kind: 'project', project: 'Shop' }],
    ['devfleet/dev/sso-oidc', { kind: 'platform' }],
    ['devfleet/dev/shop/../web/x', { kind: 'malformed', segment: '..' }],
    ['devfleet/dev/./shop/x', { kind: 'malformed', segment: '.' }],
    ['devfleet/dev/shop/', { kind: 'malformed', segment: '' }],
    ['devfleet/dev//shop/x', { kind: 'malformed', segment: '' }],
    ['/devfleet/dev/shop/x', { kind: 'malformed', segment: '' }],
    ['devfleet/dev2/shop/x', { kind: 'outside' }],
    ['devfleet/DEV/shop/x', { kind: 'outside' }],
    ['Devfleet/dev/shop/x', { kind: 'outside' }],
    ['shared/payments', { kind: 'outside' }],
  ])('GIVEN the name %s WHEN placed for cluster dev THEN it is %o (exact text: no path resolution, case counts)', (key, place) => {
    expect(remoteKeyPlace('dev', key)).toEqual(place);
  });

  it('GIVEN a project WHEN its prefix is made THEN it ends with "/", so shop does not own shop-admin\'s names', () => {
    expect(projectKeyPrefix('dev', 'shop')).toBe('devfleet/dev/shop/');
    expect('devfleet/dev/shop-admin/x'.startsWith(projectKeyPrefix('dev', 'shop'))).toBe(false);
    expect(projectRemoteKey('dev', 'shop', 'db').startsWith(projectKeyPrefix('dev', 'shop'))).toBe(true);
  });

  it('GIVEN the names the platform uses WHEN checked against its own rules THEN they are reserved and no project name is', () => {
    expect(isPlatformRemoteKey('dev', ssoClientSecretName('dev'))).toBe(true);
    expect(isPlatformRemoteKey('dev', projectRemoteKey('dev', 'sso-oidc', 'x'))).toBe(false);
    expect(ALB_OIDC_SECRET.startsWith(PLATFORM_NAME_PREFIX)).toBe(true);
  });
});
