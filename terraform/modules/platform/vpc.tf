################################################################################
# Network
# A new VPC (private subnets for nodes, pods and EFS; public subnets for
# internet-facing ALBs and the NAT gateway), or an existing one by id.
################################################################################

locals {
  create_vpc = var.network.vpc_id == null

  vpc_id             = local.create_vpc ? module.vpc[0].vpc_id : var.network.vpc_id
  private_subnet_ids = local.create_vpc ? module.vpc[0].private_subnets : var.network.private_subnet_ids
  public_subnet_ids  = local.create_vpc ? module.vpc[0].public_subnets : var.network.public_subnet_ids
}

# The availability zones are named by ops, not "the first N the region lists": subnets are
# derived from their order, and a zone AWS adds later must never move or recreate a subnet.
data "aws_availability_zones" "selected" {
  count = local.create_vpc ? 1 : 0

  filter {
    name   = "zone-name"
    values = var.network.azs
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) == length(var.network.azs)
      error_message = "network.azs names a zone that is not available in this region; list the region's zones with `aws ec2 describe-availability-zones`."
    }
  }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "6.5.1"
  #checkov:skip=CKV_TF_1: a Terraform Registry source cannot take a commit hash (only git:: sources can); the version is pinned exactly instead, as terraform-aws-modules publish it.
  count = local.create_vpc ? 1 : 0

  name = var.cluster_name
  cidr = var.network.cidr
  # In ops' order (subnet i is in zone i); the filter only proves each zone exists.
  azs = [for az in var.network.azs : az if contains(data.aws_availability_zones.selected[0].names, az)]

  # /20 private subnets: the VPC CNI gives every pod a VPC address, and a dev fleet has many pods.
  private_subnets = [for i, _ in var.network.azs : cidrsubnet(var.network.cidr, 4, i)]
  public_subnets  = [for i, _ in var.network.azs : cidrsubnet(var.network.cidr, 8, 48 + i)]

  enable_nat_gateway = true
  # One NAT gateway (~$33/month plus $0.045/GB, us-east-1 list price) instead of one per AZ: an AZ outage
  # cuts egress of a development cluster, which is acceptable; set single_nat_gateway = false otherwise.
  single_nat_gateway   = var.network.single_nat_gateway
  enable_dns_hostnames = true

  # The AWS Load Balancer Controller picks subnets by these tags.
  # Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/subnet_discovery/
  public_subnet_tags  = { "kubernetes.io/role/elb" = 1 }
  private_subnet_tags = merge({ "kubernetes.io/role/internal-elb" = 1 }, local.discovery_tag)

  tags = local.tags
}

# An existing VPC's private subnets get the Karpenter discovery tag here, so ops only hand in ids.
# (The kubernetes.io/role/* tags for the load balancer controller are theirs to set: other
# clusters may share those subnets.)
resource "aws_ec2_tag" "existing_private_subnet_discovery" {
  for_each = local.create_vpc ? toset([]) : toset(var.network.private_subnet_ids)

  resource_id = each.value
  key         = "karpenter.sh/discovery"
  value       = var.cluster_name
}
