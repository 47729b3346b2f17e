/**
 * Every ALB writes access logs (terraform/modules/platform/alb-logs.tf): one bucket per cluster,
 * SSE-S3, private, TLS-only, written by Elastic Load Balancing only, logs expiring; the attributes
 * that name it are in both IngressClassParams (their evaluated values: ingress.class.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigurations, type Configuration } from '../../generators/terraform/hcl.ts';
import { evaluate } from '../helpers/terraform-evaluate.ts';
import { body, mutate, TERRAFORM } from '../helpers/terraform-fixtures.ts';
import { checkAlbAccessLogs } from '../helpers/terraform-platform-rules.ts';

let configs: Configuration[];
beforeAll(async () => {
  configs = await loadConfigurations(TERRAFORM);
});

describe('ALB access logs', () => {
  it('GIVEN the tree WHEN the log bucket and the ALB attributes are checked THEN every rule holds', () => {
    expect(checkAlbAccessLogs(configs)).toEqual([]);
  });

  it('GIVEN a KMS key, a public bucket, another writer, no TLS rule and no log attributes WHEN checked THEN each is reported', () => {
    let broken = mutate(configs, 'modules/platform', 'alb-logs.tf', (f) => {
      (body(f, 'resource', 'aws_s3_bucket_server_side_encryption_configuration', 'alb_logs') as any).rule[0].apply_server_side_encryption_by_default[0].sse_algorithm = 'aws:kms';
      body(f, 'resource', 'aws_s3_bucket_public_access_block', 'alb_logs').restrict_public_buckets = false;
      const statements = (body(f, 'data', 'aws_iam_policy_document', 'alb_logs') as any).statement;
      statements[0].principals[0].identifiers = ['*'];
      statements.pop();
    });
    broken = mutate(broken, 'modules/platform', 'access.tf', (f) => {
      const l = (f.locals as any)[0];
      l.alb_security_attributes = '${[{ key = "routing.http.drop_invalid_header_fields.enabled", value = "true" }]}';
    });
    expect(checkAlbAccessLogs(broken)).toEqual([
      'aws_s3_bucket_server_side_encryption_configuration.alb_logs must use SSE-S3 (AES256), the only encryption ALB log delivery supports',
      'aws_s3_bucket_public_access_block.alb_logs must block every kind of public access',
      'the alb_logs bucket policy must let only Elastic Load Balancing write, found AWS:*',
      'the alb_logs bucket policy must deny requests without TLS (aws:SecureTransport false)',
      'local.alb_security_attributes (every ALB of both classes) must include local.alb_access_log_attributes',
    ]);
  });

  it('GIVEN the longest cluster name WHEN Terraform computes the bucket name THEN it is a valid S3 bucket name', { timeout: 120_000 }, () => {
    const platform = configs.find((c) => c.dir === 'modules/platform')!;
    const result = evaluate(platform, { variables: ['cluster_name'], locals: ['alb_access_logs_bucket'], stubs: { account_id: '123456789012' }, values: { cluster_name: 'a2345678901234567890' } });
    expect(result.code, result.log).toBe(0);
    expect(result.outputs.alb_access_logs_bucket).toBe('devfleet-a2345678901234567890-alb-logs-123456789012');
    expect(String(result.outputs.alb_access_logs_bucket)).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
  });
});
