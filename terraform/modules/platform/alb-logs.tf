################################################################################
# Load balancer access logs
# Every ALB of the cluster (both IngressClassParams, ingress.tf; the platform Ingresses'
# annotation, access.tf) writes its access logs to one bucket of the cluster, under
# `<alb_access_logs_prefix>/AWSLogs/<account>/`. ALB access logs support SSE-S3 only (no KMS key).
# The bucket: private (public access blocked, owner-enforced objects, no ACLs), TLS-only, written
# by Elastic Load Balancing's log delivery only, logs expire after 90 days.
# Ref https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
# Ref https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
################################################################################

locals {
  # At most 9 + 20 + 10 + 12 = 51 characters (cluster_name is at most 20); known at plan, as the
  # IngressClassParams need it.
  alb_access_logs_bucket = "devfleet-${var.cluster_name}-alb-logs-${local.account_id}"
  alb_access_logs_prefix = "alb"
  # Ref https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#access-logs
  alb_access_log_attributes = [
    { key = "access_logs.s3.enabled", value = "true" },
    { key = "access_logs.s3.bucket", value = local.alb_access_logs_bucket },
    { key = "access_logs.s3.prefix", value = local.alb_access_logs_prefix },
  ]
  alb_access_logs_days = 90
}

resource "aws_s3_bucket" "alb_logs" {
  #checkov:skip=CKV_AWS_18: this bucket holds the load balancers' access logs; logging its own requests to itself would loop, and S3 server access logs of log delivery add nothing for a dev cluster.
  #checkov:skip=CKV_AWS_144: access logs of dev load balancers, kept 90 days in the cluster's Region; losing a Region's logs is acceptable, cross-Region replication is not worth its cost here.
  #checkov:skip=CKV_AWS_145: ALB access logs support SSE-S3 only (Amazon S3-managed keys); a KMS key would stop log delivery (enable-access-logging.html, bucket requirements).
  #checkov:skip=CKV2_AWS_62: nothing consumes new log objects; they are read on demand (Athena, download) when a request needs investigating.
  bucket = local.alb_access_logs_bucket

  tags = local.tags
}

resource "aws_s3_bucket_public_access_block" "alb_logs" {
  bucket                  = aws_s3_bucket.alb_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = local.alb_access_logs_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.alb_logs]
}

# The Region's Elastic Load Balancing account, which delivers the logs in Regions opened before
# August 2022; newer Regions use the service principal logdelivery.elasticloadbalancing.amazonaws.com.
data "aws_elb_service_account" "current" {}

data "aws_iam_policy_document" "alb_logs" {
  statement {
    sid       = "ElbLogDelivery"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.alb_logs.arn}/${local.alb_access_logs_prefix}/AWSLogs/${local.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "ElbLogDeliveryService"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.alb_logs.arn}/${local.alb_access_logs_prefix}/AWSLogs/${local.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.alb_logs.arn, "${aws_s3_bucket.alb_logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id
  policy = data.aws_iam_policy_document.alb_logs.json

  depends_on = [aws_s3_bucket_public_access_block.alb_logs]
}
