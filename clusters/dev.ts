// The development cluster: one EKS cluster in Tokyo, everyone's envs asleep from 22:00.
import { defineCluster } from 'devfleet';

export default defineCluster({
  name: 'dev',
  domain: 'dev.example.com',
  timeZone: 'Asia/Tokyo',
  schedule: { sleep: '22:00' },
  developers: [
    { name: 'alice', email: 'alice@example.com', iam: 'arn:aws:iam::123456789012:user/alice' },
    { name: 'bob', email: 'bob@example.com', iam: 'arn:aws:iam::123456789012:user/bob' },
    { name: 'carol', email: 'carol@example.com', iam: 'arn:aws:iam::123456789012:user/carol' },
    // Dave works late: his envs sleep at 23:30 instead of 22:00.
    { name: 'dave', email: 'dave@example.com', iam: 'arn:aws:iam::123456789012:user/dave', schedule: { sleep: '23:30' } },
    { name: 'erin', email: 'erin@example.com', iam: 'arn:aws:iam::123456789012:role/designer-erin' },
  ],
  argocd: { repoURL: 'https://github.com/example/devfleet.git', targetRevision: 'main' },
  // The load balancers' own subnets: /20 number 3 of the VPC in terraform/clusters/dev/terraform.tfvars
  // (10.40.0.0/16). Only these ranges reach the front door; terraform/ refuses ones that hold nodes.
  network: { loadBalancerCidrs: ['10.40.48.0/20'] },
  // Ops: cluster-admin through EKS access entries (terraform/). Developers get namespace RBAC only.
  admins: ['arn:aws:iam::123456789012:role/platform-ops'],
  // What projects may attach to their envs' AWS roles (reviewed by ops), and the ceiling for all of them.
  aws: {
    allowedPolicies: [
      // Customer-managed and scoped (terraform/clusters/dev/main.tf): shop reads its images bucket only.
      'arn:aws:iam::123456789012:policy/devfleet-dev-shop-images-read',
      'arn:aws:iam::123456789012:policy/notes-api-attachments',
      'arn:aws:iam::123456789012:policy/notes-api-notifications',
    ],
    permissionsBoundary: 'arn:aws:iam::123456789012:policy/devfleet-env-boundary',
  },
});
