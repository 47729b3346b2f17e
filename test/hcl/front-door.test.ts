/**
 * The front door (terraform/modules/platform/front-door.tf) and the versions Terraform installs:
 * every chart pinned exactly, the KEDA, HTTP add-on and External Secrets charts at the versions
 * whose CRDs are vendored in test/fixtures/, the InterceptorRoute contract the generated charts
 * rely on present in those CRDs, and the one front-door Ingress as Terraform evaluates it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigurations, type Configuration, type HclBody } from '../../generators/terraform/hcl.ts';
import { PINS, version } from '../../scripts/lib/versions.ts';
import { REPO } from '../helpers/fixtures.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { chartVersionPins, checkChartPins, checkFixturesMatchPins, checkNetworkPolicyEnforced } from '../helpers/terraform-platform-rules.ts';

const FIXTURES = join(REPO, 'test', 'fixtures');

let configs: Configuration[];
let platform: Configuration;
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
  platform = configs.find((c) => c.dir === 'modules/platform')!;
});

/** tools/versions.env with one pin changed. */
const withPin = (name: string, value: string) => ({ ...PINS, [name]: value });

describe('chart versions', () => {
  it('GIVEN the tree WHEN the Helm releases are checked THEN each takes local.chart_versions.<chart>, pinned to an exact version in tools/versions.env', () => {
    expect(checkChartPins(configs)).toEqual([]);
    expect(Object.fromEntries(chartVersionPins(configs))).toMatchObject({
      keda: version('KEDA_VERSION').slice(1),
      keda_http_add_on: version('KEDA_HTTP_ADD_ON_VERSION').slice(1),
      external_secrets: version('EXTERNAL_SECRETS_VERSION').slice(1),
      argo_cd: version('ARGOCD_CHART_VERSION'),
    });
  });

  it('GIVEN a range as a pin, a chart version typed in versions.tf, or a release with a literal version WHEN checked THEN each is reported', () => {
    expect(checkChartPins(configs, withPin('KEDA_VERSION', '~2.21'))).toEqual(['chart_versions.keda must be pinned exactly ("X.Y.Z"), found "~2.21"']);
    const typed = mutate(configs, 'modules/platform', 'versions.tf', (f) => (((f.locals as HclBody[]).find((b) => b.chart_versions)!.chart_versions as Record<string, string>).argo_cd = '9.5.4'));
    expect(checkChartPins(typed)).toEqual(['local.chart_versions.argo_cd must be coalesce(var.chart_versions.argo_cd, <a pin of tools/versions.env>)']);
    const literal = mutate(configs, 'modules/platform', 'external-secrets.tf', (f) => (body(f, 'resource', 'helm_release', 'external_secrets').version = '1.3.2'));
    expect(checkChartPins(literal)).toEqual(['terraform/modules/platform/external-secrets.tf: helm_release.external_secrets must set version = local.chart_versions.<chart>, found "1.3.2"']);
  });

  it('GIVEN the vendored CRDs WHEN their versions are compared with the pins THEN KEDA, the HTTP add-on and External Secrets match', () => {
    expect(checkFixturesMatchPins(configs, FIXTURES)).toEqual([]);
  });

  it('GIVEN the HTTP add-on chart pinned to another version than its vendored CRDs WHEN compared THEN the mismatch is reported', () => {
    expect(checkFixturesMatchPins(configs, FIXTURES, withPin('KEDA_HTTP_ADD_ON_VERSION', 'v0.12.0'))).toEqual([
      'test/fixtures/http-add-on holds the CRDs of github.com/kedacore/http-add-on@v0.15.0 but chart_versions.keda_http_add_on installs 0.12.0',
    ]);
  });
});

describe('the CRDs the generated front-door objects use', () => {
  const versionOf = (file: string, version: string) => {
    const crd = parse(readFileSync(join(FIXTURES, file), 'utf8')) as { spec: { versions: { name: string; served: boolean; schema: { openAPIV3Schema: any } }[] } };
    return crd.spec.versions.find((v) => v.name === version && v.served)?.schema.openAPIV3Schema.properties.spec;
  };

  it('GIVEN the vendored InterceptorRoute CRD WHEN read THEN v1beta1 is served with rules[].hosts, target {service, port|portName}, coldStart.placeholder and scalingMetric', () => {
    const spec = versionOf('http-add-on/http.keda.sh_interceptorroutes.yaml', 'v1beta1');
    expect(spec.required).toEqual(expect.arrayContaining(['scalingMetric', 'target']));
    expect(spec.properties.rules.items.properties.hosts.items.type).toBe('string');
    expect(Object.keys(spec.properties.target.properties).sort()).toEqual(['port', 'portName', 'service']);
    expect(spec.properties.coldStart.properties.placeholder.properties.response.properties.statusCode.default).toBe(503);
    expect(Object.keys(spec.properties.scalingMetric.properties).sort()).toEqual(['concurrency', 'requestRate']);
  });

  it('GIVEN the vendored ScaledObject CRD WHEN read THEN keda.sh/v1alpha1 is served with the fields scale-to-zero needs', () => {
    const spec = versionOf('keda/keda.sh_scaledobjects.yaml', 'v1alpha1');
    for (const field of ['scaleTargetRef', 'minReplicaCount', 'maxReplicaCount', 'idleReplicaCount', 'cooldownPeriod', 'triggers']) expect(spec.properties, field).toHaveProperty(field);
  });
});

describe('the front-door Ingress, as Terraform evaluates it', { timeout: 120_000 }, () => {
  const frontDoor = (values: Record<string, unknown>) =>
    evaluate(platform, {
      // front_door's validations refer to var.domain (Terraform >= 1.9); the pinned 1.8 cannot load them.
      variables: ['domain', 'front_door'],
      withoutValidation: ['front_door'],
      locals: ['keda_namespace', 'interceptor_proxy_service', 'interceptor_proxy_port', 'http_scaler_port', 'http_scaler_address', 'front_door_host'],
      values: { domain: 'dev.example.com', ...values },
    });

  it('GIVEN no front_door input (today\'s tfvars) WHEN evaluated THEN one wildcard host for the whole cluster, routed to the add-on\'s proxy Service', () => {
    const result = frontDoor({});
    expect(result.code, result.log).toBe(0);
    expect(result.outputs).toEqual({
      keda_namespace: 'keda',
      interceptor_proxy_service: 'keda-add-ons-http-interceptor-proxy',
      interceptor_proxy_port: 8080,
      http_scaler_port: 9090,
      http_scaler_address: 'keda-add-ons-http-external-scaler.keda:9090',
      front_door_host: '*.dev.example.com',
    });
  });
});

describe('KEDA\'s access to Secrets', () => {
  it('GIVEN the KEDA release WHEN its values are read THEN the operator may read Secrets in its own namespace only (an env\'s missing Secret must not stop KEDA from scaling it)', () => {
    const keda = body(platform.files.get('front-door.tf')!, 'resource', 'helm_release', 'keda');
    expect((keda.values as string[]).join('\n')).toMatch(/permissions\s*=\s*\{\s*operator\s*=\s*\{\s*restrict\s*=\s*\{\s*secret\s*=\s*true\s*\}\s*\}\s*\}/);
  });
});

describe('network policies', () => {
  it('GIVEN the tree WHEN the VPC CNI add-on is checked THEN it enforces NetworkPolicies; without the setting it is reported', () => {
    expect(checkNetworkPolicyEnforced(configs)).toEqual([]);
    const off = mutate(configs, 'modules/platform', 'eks.tf', (f) => delete (body(f, 'module', 'eks').addons as any)['vpc-cni'].configuration_values);
    expect(checkNetworkPolicyEnforced(off)).toEqual(['module "eks" must configure the vpc-cni add-on with enableNetworkPolicy = "true"']);
  });
});
