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

  # A new VPC's subnets, zone i getting element i of each list (test/terraform/vpc.test.ts has
  # Terraform evaluate them for 2, 3 and 4 zones). Read as /20s and /24s of a /16 (the default
  # cidr; other sizes scale alike): private /20s for nodes, pods and EFS (the VPC CNI gives every
  # pod a VPC address, and a dev fleet has many pods), public /24s for ALBs and the NAT gateway.
  # The public /24s are numbers 48 to 51, i.e. they sit inside /20 number 3 (x.x.48.0/20), so no
  # private subnet may take that /20: zones 0 to 2 keep /20s 0 to 2 (where 2- and 3-zone VPCs
  # already have them; moving a subnet would recreate it), and a 4th zone skips /20 3 and takes
  # the next free one, 4 (x.x.64.0/20). /20s 5 to 15 stay free.
  private_subnet_cidrs = [for i, _ in var.network.azs : cidrsubnet(var.network.cidr, 4, i < 3 ? i : i + 1)]
  public_subnet_cidrs  = [for i, _ in var.network.azs : cidrsubnet(var.network.cidr, 8, 48 + i)]
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

  # Private /20s and public /24s that never overlap (see the locals above).
  private_subnets = local.private_subnet_cidrs
  public_subnets  = local.public_subnet_cidrs

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
