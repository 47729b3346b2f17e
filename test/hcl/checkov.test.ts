/**
 * checkov (pinned in tools/versions.env) finds no failed check in terraform/, offline.
 * Every accepted finding is suppressed in place with `#checkov:skip=<id>: <reason>` in the .tf file,
 * so the reason sits next to the code; the list below is the reviewed set, and a new suppression
 * has to be added here on purpose.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../scripts/lib/versions.ts';
import { copyOfTerraform, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { runTool } from '../helpers/terraform-tools.ts';

interface CheckovResult {
  check_id: string;
  resource: string;
  file_path: string;
  check_result: { result: string; suppress_comment?: string };
}

interface CheckovReport {
  results: { passed_checks: CheckovResult[]; failed_checks: CheckovResult[]; skipped_checks: CheckovResult[]; parsing_errors: string[] };
  summary: { passed: number; failed: number; skipped: number; parsing_errors: number; checkov_version: string };
}

function checkov(dir: string): CheckovReport {
  // --skip-download: no guideline or policy download, no API key: the scan runs offline.
  const run = runTool('checkov', ['--directory', '.', '--framework', 'terraform', '--skip-download', '--output', 'json'], dir);
  if (run.code !== 0 && run.code !== 1) throw new Error(`checkov exited ${run.code}: ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as CheckovReport;
}

const ACCEPTED = [
  'CKV2_AWS_62 module.platform.aws_s3_bucket.alb_logs',
  'CKV2_AWS_71 module.platform.aws_acm_certificate.wildcard',
  'CKV_AWS_144 module.platform.aws_s3_bucket.alb_logs',
  'CKV_AWS_145 module.platform.aws_s3_bucket.alb_logs',
  'CKV_AWS_18 module.platform.aws_s3_bucket.alb_logs',
  'CKV_AWS_184 module.platform.aws_efs_file_system.envs',
  'CKV_TF_1 module.platform.efs_csi_pod_identity',
  'CKV_TF_1 module.platform.eks',
  'CKV_TF_1 module.platform.external_dns_pod_identity',
  'CKV_TF_1 module.platform.external_secrets_pod_identity',
  'CKV_TF_1 module.platform.karpenter',
  'CKV_TF_1 module.platform.lb_controller_pod_identity',
  'CKV_TF_1 module.platform.vpc',
];

let report: CheckovReport;
beforeAll(() => {
  report = checkov(TERRAFORM);
});

describe('checkov', () => {
  it('GIVEN terraform/ WHEN scanned by the pinned checkov THEN it parses everything and no check fails', () => {
    expect(report.summary.checkov_version).toBe(version('CHECKOV_VERSION'));
    expect(report.results.parsing_errors).toEqual([]);
    expect(report.results.failed_checks.map((c) => `${c.check_id} ${c.resource} ${c.file_path}`)).toEqual([]);
    expect(report.summary.passed).toBeGreaterThan(30);
  });

  it('GIVEN the scan WHEN its suppressions are listed THEN they are exactly the reviewed ones, each with a reason written in place', () => {
    const skipped = report.results.skipped_checks.map((c) => `${c.check_id} ${c.resource}`).sort();
    expect(skipped).toEqual(ACCEPTED);
    for (const c of report.results.skipped_checks) expect(c.check_result.suppress_comment?.trim().length ?? 0, `${c.check_id} on ${c.resource} needs a reason`).toBeGreaterThan(40);
  });

  it('GIVEN a copy with one suppression removed and EFS encryption turned off WHEN scanned THEN both checks fail', () => {
    const copy = copyOfTerraform();
    const dns = join(copy, 'modules/platform/dns.tf');
    writeFileSync(dns, readFileSync(dns, 'utf8').replace(/^\s*#checkov:skip=CKV2_AWS_71:.*\n/m, ''));
    const storage = join(copy, 'modules/platform/storage.tf');
    writeFileSync(storage, readFileSync(storage, 'utf8').replace('encrypted        = true', 'encrypted        = false'));
    const broken = checkov(copy);
    expect(broken.results.failed_checks.map((c) => `${c.check_id} ${c.resource}`).sort()).toEqual([
      'CKV2_AWS_71 module.platform.aws_acm_certificate.wildcard',
      'CKV_AWS_42 module.platform.aws_efs_file_system.envs',
    ]);
  });
});
