import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { copyOfExamples, tempRoot } from '../helpers/fixtures.ts';
import { C, CLUSTER, defective, expectRefused, expectValid, S, SHOP, W, WEB, type BadInputCase, type Defs } from '../helpers/bad-input.ts';

const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const allowS3 = (d: Defs) => (C(d).aws = { allowedPolicies: [S3_READ] });
/** A customer-managed policy, scoped to a project's own bucket (no warning). */
const IMAGES_READ = 'arn:aws:iam::123456789012:policy/devfleet-dev-shop-images-read';

const cases: (BadInputCase & { start?: (d: Defs) => void })[] = [
  {
    given: 'a project requesting AdministratorAccess, which the cluster does not allow (YAML)',
    start: allowS3,
    defect: (d) => (W(d).aws = { policies: [S3_READ, ADMIN] }),
    file: WEB,
    path: 'aws.policies[1]',
    says: [`"${ADMIN}" is not allowed in cluster "dev" (it allows "${S3_READ}")`, `ask ops to add it to aws.allowedPolicies in ${CLUSTER}`],
    lineOf: 'AdministratorAccess',
  },
  {
    given: 'a project requesting a policy in a cluster that allows none (TypeScript)',
    defect: (d) => (S(d).aws = { policies: [S3_READ] }),
    file: SHOP,
    path: 'aws.policies[0]',
    says: [`"${S3_READ}" is not allowed in cluster "dev" (it allows none yet)`, `aws.allowedPolicies in ${CLUSTER}`],
  },
  {
    given: 'a policy ARN with a typo in its name',
    start: allowS3,
    defect: (d) => (S(d).aws = { policies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAcess'] }),
    file: SHOP,
    path: 'aws.policies[0]',
    says: [`did you mean "${S3_READ}"?`],
  },
];

describe('IAM policies a project may request', () => {
  it('GIVEN a project requesting only what its cluster allows WHEN validated THEN it is valid (control)', async () => {
    await expectValid((d) => {
      C(d).aws = { allowedPolicies: [IMAGES_READ] };
      W(d).aws = { policies: [IMAGES_READ] };
    });
  });

  it('GIVEN a project with envs only in another cluster WHEN the dev cluster does not allow its policy THEN it is valid (no env, no role in dev)', async () => {
    // A second cluster holds the only developer the project names; dev allows nothing.
    await expectValid((d) => {
      d['clusters/ops.yaml'] = { ...structuredClone(C(d)), name: 'ops', domain: 'ops.example.com', developers: [{ name: 'olga' }], aws: { allowedPolicies: [IMAGES_READ] } };
      S(d).developers = ['olga'];
      S(d).aws = { policies: [IMAGES_READ] };
    });
  });

  it('GIVEN the bundled examples WHEN validated THEN their policies are all allowed by clusters/dev.ts', async () => {
    const result = await runCli('validate', '--root', copyOfExamples());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('GIVEN an AWS-managed policy in aws.allowedPolicies WHEN validated THEN it stays valid, with a warning at the cluster\'s field on stderr (and in --json)', async () => {
    const root = tempRoot(
      defective({
        defect: (d) => {
          C(d).aws = { allowedPolicies: [IMAGES_READ, S3_READ] };
          W(d).aws = { policies: [S3_READ] };
        },
      }),
    );
    const result = await runCli('validate', '--root', root);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`devfleet: warning: ${CLUSTER}: aws.allowedPolicies[1]`);
    expect(result.stderr).toContain(`"${S3_READ}" is an AWS-managed policy`);
    expect(result.stderr).toContain('prefer a customer-managed policy scoped to the projects\' own resources');
    expect(result.stderr).not.toContain(IMAGES_READ);
    const json = await runCli('validate', '--root', root, '--json');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { warnings: { path: string }[] }).warnings.map((w) => w.path)).toEqual(['aws.allowedPolicies[1]']);
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    await expectRefused(c, c.start);
  });
});
