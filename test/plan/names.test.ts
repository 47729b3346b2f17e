/** Derived names stay within Kubernetes and DNS limits for the longest names the schemas allow. */
import { describe, expect, it } from 'vitest';
import { CLUSTER_NAME_MAX, DEVELOPER_NAME_MAX } from '../../generators/schema/cluster.ts';
import { CONTAINER_NAME_MAX, PROJECT_NAME_MAX, ROUTE_LABEL_MAX, VOLUME_NAME_MAX } from '../../generators/schema/project.ts';
import {
  appProjectName, applicationName, claimName, defaultVolumeName, hostLabel, ingressGroupName, LIMITS, namespaceName,
  podVolumeName, rootApplicationName, routeLabel, routeValuesKey,
} from '../../generators/plan/names.ts';

const longest = (n: number, first = 'a') => (first + 'b'.repeat(n - 1)).slice(0, n);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('derived names at the schema limits', () => {
  const project = longest(PROJECT_NAME_MAX, 'p');
  const developer = longest(DEVELOPER_NAME_MAX, 'd');
  const cluster = longest(CLUSTER_NAME_MAX, 'c');

  it.each([
    ['namespace', namespaceName('abcdefghij', developer)],
    ['Application', applicationName(project, developer)],
    ['AppProject', `${appProjectName(cluster)}-platform`],
    ['root Application', rootApplicationName(cluster)],
    ['host label', hostLabel(longest(ROUTE_LABEL_MAX, 'r'), developer)],
    ['pod volume', podVolumeName(longest(CONTAINER_NAME_MAX, 'k'), longest(VOLUME_NAME_MAX, 'v'))],
    ['IngressGroup', ingressGroupName(cluster, 999)],
    ['Deployment/Service/Ingress (release)', project],
  ])('GIVEN the longest allowed names WHEN the %s name is derived THEN it is a DNS label of at most 63 characters', (_what, name) => {
    expect(name.length).toBeLessThanOrEqual(LIMITS.dnsLabel);
    expect(name).toMatch(DNS_LABEL);
  });

  it('GIVEN the longest names WHEN the PVC name is derived THEN it is a DNS subdomain within 253 characters', () => {
    const name = claimName(project, longest(CONTAINER_NAME_MAX, 'k'), longest(VOLUME_NAME_MAX, 'v'));
    expect(name.length).toBeLessThanOrEqual(LIMITS.dnsSubdomain);
    expect(name).toMatch(DNS_LABEL);
  });

  it('GIVEN names that differ only in where a hyphen sits WHEN joined THEN the results differ (the -- separator)', () => {
    expect(applicationName('a-b', 'c')).not.toBe(applicationName('a', 'b-c'));
    expect(hostLabel(routeLabel('a-b.com'), 'x')).toBe('a-b-com--x');
  });

  it.each([
    ['/var/lib/mysql', 'mysql'],
    ['/data/db', 'db'],
    ['/var/lib/postgresql/data/', 'data'],
    ['/', 'root'],
    ['/srv/My_Uploads.v2', 'my-uploads-v2'],
    ['/0123', 'data'],
    ['/a-very-long-directory-name-indeed', 'a-very-long-dir'],
  ])('GIVEN the mount path %s WHEN the default volume name is derived THEN it is %s', (path, name) => {
    expect(defaultVolumeName(path)).toBe(name);
    expect(name.length).toBeLessThanOrEqual(VOLUME_NAME_MAX);
  });

  it('GIVEN a route label WHEN used as a Helm values key THEN it is a Go identifier', () => {
    expect(routeValuesKey('api-my-app-com')).toBe('api_my_app_com');
  });
});
