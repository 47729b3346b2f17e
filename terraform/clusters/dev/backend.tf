################################################################################
# State
# S3 with native locking (a lock object next to the state; no DynamoDB table) and
# server-side encryption. The bucket and its region differ per account, so they are
# given at init time (partial configuration):
#   terraform init -backend-config="bucket=<state bucket>" -backend-config="region=<region>"
# Ref https://developer.hashicorp.com/terraform/language/backend/s3
################################################################################

terraform {
  backend "s3" {
    key          = "devfleet/clusters/dev/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
