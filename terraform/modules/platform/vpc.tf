################################################################################
# Network
# A new VPC (private subnets for nodes, pods and EFS; load-balancer subnets for
# internal ALBs; public subnets for internet-facing ALBs and the NAT gateway), or
# an existing one by id. Load balancers have subnets of their own, which hold no
# node and no Pod, so a NetworkPolicy can admit them by address (the VPC CNI gives
# Pods addresses of the node subnets): only these ranges reach the front door's
# interceptor (front-door-network-policy.tf) and, with per-env Ingresses, the envs.
################################################################################

locals {
  create_vpc = var.network.vpc_id == null

  vpc_id             = local.create_vpc ? module.vpc[0].vpc_id : var.network.vpc_id
  private_subnet_ids = local.create_vpc ? module.vpc[0].private_subnets : var.network.private_subnet_ids
  public_subnet_ids  = local.create_vpc ? module.vpc[0].public_subnets : var.network.public_subnet_ids
  # Internal load balancers only (internet-facing ones use the public subnets).
  load_balancer_subnet_ids = local.create_vpc ? aws_subnet.load_balancers[*].id : var.network.load_balancer_subnet_ids
  # The subnets the platform's ALBs are placed in, for the access guard's scheme.
  alb_subnet_ids = local.access.scheme == "internet-facing" ? local.public_subnet_ids : local.load_balancer_subnet_ids

  # A new VPC's subnets, zone i getting element i of each list (test/hcl/vpc.test.ts has
  # Terraform evaluate them for 2, 3 and 4 zones). Read as /20s and /24s of a /16 (the default
  # cidr; other sizes scale alike): private /20s for nodes, pods and EFS (the VPC CNI gives every
  # pod a VPC address, and a dev fleet has many pods), public /24s for ALBs and the NAT gateway.
  # The public /24s are numbers 48 to 51, i.e. they sit inside /20 number 3 (x.x.48.0/20), so no
  # private subnet may take that /20: zones 0 to 2 keep /20s 0 to 2 (where 2- and 3-zone VPCs
  # already have them; moving a subnet would recreate it), and a 4th zone skips /20 3 and takes
  # the next free one, 4 (x.x.64.0/20). /20s 5 to 15 stay free. /20 number 3 is the load
  # balancers' range: the public /24s 48 to 51 and the internal load-balancer /24s 52 to 55 (an
  # ALB needs a /27 or more with 8 free addresses per zone), no node, no Pod. The cluster
  # definition names that range once (`network.loadBalancerCidrs`, default 10.0.48.0/20 for the
  # default VPC 10.0.0.0/16), handed in as var.load_balancer_cidrs; `network_layout_problems`
  # below refuses a layout where it does not hold exactly the load balancers.
  private_subnet_cidrs       = [for i, _ in var.network.azs : cidrsubnet(var.network.cidr, 4, i < 3 ? i : i + 1)]
  public_subnet_cidrs        = [for i, _ in var.network.azs : cidrsubnet(var.network.cidr, 8, 48 + i)]
  load_balancer_subnet_cidrs = [for i, _ in var.network.azs : cidrsubnet(var.network.cidr, 8, 52 + i)]

  # `inside(a, b)`: CIDR a lies inside CIDR b (b's mask applied to a's network address gives b's
  # network address). Two CIDR blocks either nest or are disjoint, so they overlap iff one lies
  # inside the other.
  node_cidrs = local.create_vpc ? local.private_subnet_cidrs : [for s in data.aws_subnet.existing_nodes : s.cidr_block]
  alb_cidrs = local.create_vpc ? concat(local.public_subnet_cidrs, local.load_balancer_subnet_cidrs) : [
    for s in data.aws_subnet.existing_load_balancers : s.cidr_block
  ]
  network_layout_problems = concat(
    [for c in local.alb_cidrs : "load-balancer subnet ${c} lies outside network.loadBalancerCidrs ${jsonencode(var.load_balancer_cidrs)}" if !anytrue([
      for r in var.load_balancer_cidrs : tonumber(split("/", c)[1]) >= tonumber(split("/", r)[1]) && cidrhost("${cidrhost(c, 0)}/${split("/", r)[1]}", 0) == cidrhost(r, 0)
    ])],
    [for c in local.node_cidrs : "node subnet ${c} overlaps network.loadBalancerCidrs ${jsonencode(var.load_balancer_cidrs)}: every Pod there would be admitted as a load balancer" if anytrue([
      for r in var.load_balancer_cidrs : cidrhost("${cidrhost(c, 0)}/${min(tonumber(split("/", c)[1]), tonumber(split("/", r)[1]))}", 0) == cidrhost("${cidrhost(r, 0)}/${min(tonumber(split("/", c)[1]), tonumber(split("/", r)[1]))}", 0)
    ])],
  )
}

# An existing VPC's subnets, read for their address ranges (the layout check above).
data "aws_subnet" "existing_nodes" {
  for_each = local.create_vpc ? toset([]) : toset(var.network.private_subnet_ids)
  id       = each.value
}

data "aws_subnet" "existing_load_balancers" {
  for_each = local.create_vpc ? toset([]) : toset(concat(var.network.public_subnet_ids, var.network.load_balancer_subnet_ids))
  id       = each.value
}

# Nothing to create: the plan stops here when the load balancers' range (cluster definition) and
# the subnets (new or existing VPC) disagree, before any NetworkPolicy admits the wrong addresses.
resource "terraform_data" "network_layout" {
  input = local.alb_cidrs

  lifecycle {
    precondition {
      condition     = length(local.network_layout_problems) == 0
      error_message = "The load balancers' address range (network.loadBalancerCidrs in clusters/${var.cluster_name}.ts, then `npx devfleet synth`) must hold every load-balancer subnet and no node subnet: ${join("; ", local.network_layout_problems)}. For a new VPC it is /20 number 3 of network.cidr, e.g. 10.40.48.0/20 for 10.40.0.0/16."
    }
  }
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

  # The AWS Load Balancer Controller picks subnets by these role tags: when some subnet carries the
  # role tag of a scheme, only such subnets are candidates. So internet-facing ALBs land in the
  # public subnets and internal ones in aws_subnet.load_balancers (below); the node subnets carry
  # no role tag at all, so no ALB ENI ever takes an address there.
  # Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/subnet_discovery/
  public_subnet_tags  = { (var.keys.subnet_role_elb) = 1 }
  private_subnet_tags = local.discovery_tag

  tags = local.tags
}

# The internal load balancers' subnets, one per zone, routed like the node subnets (through the
# NAT gateway: an ALB with OIDC sign-in calls the identity provider's token endpoint).
resource "aws_subnet" "load_balancers" {
  count = local.create_vpc ? length(var.network.azs) : 0

  vpc_id            = module.vpc[0].vpc_id
  cidr_block        = local.load_balancer_subnet_cidrs[count.index]
  availability_zone = var.network.azs[count.index]

  tags = merge(local.tags, {
    Name                                = "${var.cluster_name}-load-balancers-${var.network.azs[count.index]}"
    (var.keys.subnet_role_internal_elb) = "1"
  })
}

resource "aws_route_table_association" "load_balancers" {
  count = local.create_vpc ? length(var.network.azs) : 0

  subnet_id = aws_subnet.load_balancers[count.index].id
  # One route table per NAT gateway (zone i's, or the single one): element() wraps around.
  route_table_id = element(module.vpc[0].private_route_table_ids, count.index)
}

# An existing VPC's private subnets get the Karpenter discovery tag here, so ops only hand in ids.
# (The kubernetes.io/role/* tags for the load balancer controller are theirs to set, on the
# public and load-balancer subnets only: other clusters may share those subnets.)
resource "aws_ec2_tag" "existing_private_subnet_discovery" {
  for_each = local.create_vpc ? toset([]) : toset(var.network.private_subnet_ids)

  resource_id = each.value
  key         = var.keys.karpenter_discovery
  value       = var.cluster_name
}
