// The development cluster: one EKS cluster in Tokyo, everyone's envs asleep from 22:00.
import { defineCluster } from 'devfleet';

export default defineCluster({
  name: 'dev',
  domain: 'dev.example.com',
  timeZone: 'Asia/Tokyo',
  schedule: { sleep: '22:00' },
  developers: [
    { name: 'alice', email: 'alice@example.com' },
    { name: 'bob', email: 'bob@example.com' },
    { name: 'carol', email: 'carol@example.com' },
    { name: 'dave', email: 'dave@example.com' },
    { name: 'erin', email: 'erin@example.com' },
  ],
  argocd: { repoURL: 'https://github.com/example/devfleet.git', targetRevision: 'main' },
});
