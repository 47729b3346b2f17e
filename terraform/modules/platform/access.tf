################################################################################
# Access guard
# One rule for every host the platform exposes (the front door, Headlamp, and the env
# Ingresses devfleet generates when a cluster uses IngressGroups): a load balancer is
# internal unless the cluster chooses client CIDRs or sign-in at the load balancer, and
# never internet-facing without one of them. The annotations below are the only way
# Terraform-made Ingresses get their scheme, CIDRs and authentication.
# Ref https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#access-control
# Ref https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
################################################################################

locals {
  # `access` wins. Without it, the deprecated `ingress_scheme` applies, but an old
  # "internet-facing" is narrowed to the CIDRs that already reach the Kubernetes API (offices,
  # VPN): old tfvars keep planning and nothing becomes open to the internet by accident.
  access = var.access != null ? var.access : {
    scheme       = coalesce(var.ingress_scheme, "internal")
    source_cidrs = var.ingress_scheme == "internet-facing" ? var.endpoint_public_access_cidrs : []
    sso          = null
  }

  # A guard the rule accepts: internal, or internet-facing with narrow CIDRs or SSO. Checked again
  # on every Ingress Terraform makes (preconditions), because the legacy path bypasses the
  # validations of var.access.
  access_guarded = local.access.scheme == "internal" || local.access.sso != null || (
    length(local.access.source_cidrs) > 0 && length(setintersection(local.access.source_cidrs, ["0.0.0.0/0", "::/0"])) == 0
  )

  sso_type = try(local.access.sso.type, "none")

  # The Kubernetes Secret the load balancer controller reads the OIDC client ID and secret from:
  # it must sit in the namespace of each Ingress that signs in with OIDC. External Secrets
  # copies it there from AWS Secrets Manager (external-secrets.tf); the generated tree uses the
  # same name for env Ingresses in IngressGroups, and hands it over in the generated tfvars.
  oidc_kubernetes_secret = var.names.alb_oidc_secret

  # Every listener is HTTPS (ALB authentication only works on HTTPS listeners); port 80 only redirects.
  alb_tls_annotations = {
    (var.keys.alb_listen_ports)    = jsonencode([{ HTTP = 80 }, { HTTPS = 443 }])
    (var.keys.alb_ssl_redirect)    = "443"
    (var.keys.alb_ssl_policy)      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    (var.keys.alb_certificate_arn) = aws_acm_certificate_validation.wildcard.certificate_arn
  }

  alb_access_annotations = merge(
    { (var.keys.alb_scheme) = local.access.scheme },
    # Without the annotation the controller opens the listeners to 0.0.0.0/0: acceptable only for an
    # internal load balancer or behind SSO, which local.access_guarded enforces.
    length(local.access.source_cidrs) > 0 ? { (var.keys.alb_inbound_cidrs) = join(",", local.access.source_cidrs) } : {},
    local.sso_type == "oidc" ? {
      (var.keys.alb_auth_type) = "oidc"
      (var.keys.alb_auth_idp_oidc) = jsonencode({
        issuer                = local.access.sso.issuer
        authorizationEndpoint = local.access.sso.authorization_endpoint
        tokenEndpoint         = local.access.sso.token_endpoint
        userInfoEndpoint      = local.access.sso.user_info_endpoint
        secretName            = local.oidc_kubernetes_secret
      })
    } : {},
    local.sso_type == "cognito" ? {
      (var.keys.alb_auth_type) = "cognito"
      (var.keys.alb_auth_idp_cognito) = jsonencode({
        userPoolARN      = local.access.sso.user_pool_arn
        userPoolClientID = local.access.sso.user_pool_client_id
        userPoolDomain   = local.access.sso.user_pool_domain
      })
    } : {},
    local.sso_type != "none" ? {
      # Explicit, though it is the default: an unauthenticated browser is sent to the IdP, never let through.
      (var.keys.alb_auth_on_unauthenticated_request) = "authenticate"
      (var.keys.alb_auth_scope)                      = "openid email"
    } : {},
  )

  # Every Ingress Terraform creates carries all of these. Headlamp and the front door share one
  # ALB (one IngressGroup), so the annotations the controller treats as "exclusive" per group
  # (scheme, inbound-cidrs, ssl-redirect, attributes) are identical on both by construction.
  platform_alb_group = "devfleet-${var.cluster_name}-platform"
  platform_alb_annotations = merge(local.alb_access_annotations, local.alb_tls_annotations, {
    (var.keys.alb_group_name)               = local.platform_alb_group
    (var.keys.alb_target_type)              = "ip"
    (var.keys.alb_load_balancer_attributes) = join(",", [for a in local.platform_alb_attributes : "${a.key}=${a.value}"])
  })

  # Every ALB of the cluster drops requests with header fields that are not valid HTTP (request
  # smuggling, header injection towards Pods); the IngressClassParams of both classes
  # (ingress.tf) set it, so an env Ingress cannot leave it out.
  # Ref https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#http-header-fields
  # Both also write access logs to the cluster's log bucket (alb-logs.tf).
  alb_security_attributes = concat([{ key = "routing.http.drop_invalid_header_fields.enabled", value = "true" }], local.alb_access_log_attributes)
  # Dev servers keep WebSockets open (hot reload) and may stay silent for minutes; ALB's default
  # idle timeout of 60 s would cut them. 3600 s is well under the 4000 s maximum.
  # Ref https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html#connection-idle-timeout
  platform_alb_attributes = concat([{ key = "idle_timeout.timeout_seconds", value = "3600" }], local.alb_security_attributes)
}

# Warns (does not fail) while a cluster still relies on the deprecated input.
check "access_is_explicit" {
  assert {
    condition     = var.access != null || var.ingress_scheme != "internet-facing"
    error_message = "ingress_scheme = \"internet-facing\" is deprecated: the platform's load balancers accept only endpoint_public_access_cidrs until you set access (scheme, source_cidrs and/or sso) in the cluster definition and run `npx devfleet synth`."
  }
}
