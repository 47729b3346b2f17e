/**
 * The definition fields Terraform reads (developers' `iam`, cluster `admins`, project
 * `aws.policies`) are validated where they enter, with the fix in the message.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.ts';
import { tempRoot } from '../helpers/fixtures.ts';

const cluster = (extra: Record<string, unknown>) =>
  stringify({ name: 'lab', domain: 'lab.example.com', timeZone: 'UTC', argocd: { repoURL: 'https://git.example.com/devfleet.git' }, developers: [{ name: 'ann' }], ...extra });
const project = (extra: Record<string, unknown>) => stringify({ name: 'api', containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra });

describe('AWS identity fields of the definitions', () => {
  it('GIVEN valid IAM user and role ARNs, admins and policy ARNs WHEN validated THEN the fleet is valid', async () => {
    const root = tempRoot({
      'clusters/lab.yaml': cluster({
        developers: [{ name: 'ann', iam: 'arn:aws:iam::123456789012:user/ann' }, { name: 'bob', iam: 'arn:aws:iam::123456789012:role/team/bob' }],
        admins: ['arn:aws:iam::123456789012:role/ops'],
        aws: { allowedPolicies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/api'] },
      }),
      'projects/api.yaml': project({ aws: { policies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/api'] } }),
    });
    const result = await runCli('validate', '--root', root);
    // Valid; the AWS-managed policy (account-wide) is only warned about.
    expect(result.stderr.split('\n').filter((l) => l.startsWith('devfleet:'))).toEqual([expect.stringMatching(/^devfleet: warning: clusters\/lab\.yaml: aws\.allowedPolicies\[0\].*AWS-managed policy/)]);
    expect(result.code).toBe(0);
  });

  it('GIVEN an assumed-role session ARN, a bare policy name and an empty policy list WHEN validated THEN each is one line naming the field and the fix', async () => {
    const root = tempRoot({
      'clusters/lab.yaml': cluster({ developers: [{ name: 'ann', iam: 'arn:aws:sts::123456789012:assumed-role/ann/session' }], admins: ['ops'] }),
      'projects/api.yaml': project({ aws: { policies: ['AmazonS3ReadOnlyAccess'] } }),
      'projects/web.yaml': project({ name: 'web', aws: { policies: [] } }),
    });
    const result = await runCli('validate', '--root', root);
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^clusters\/lab\.yaml(:\d+)?: developers\[0\]\.iam: .*write an IAM user or role ARN/),
        expect.stringMatching(/^clusters\/lab\.yaml(:\d+)?: admins\[0\]: .*write an IAM user or role ARN/),
        expect.stringMatching(/^projects\/api\.yaml(:\d+)?: aws\.policies\[0\]: .*write an IAM policy ARN/),
        expect.stringMatching(/^projects\/web\.yaml(:\d+)?: aws\.policies: /),
      ]),
    );
  });
});
