// A Rails-style monolith: Puma web server, Sidekiq worker, Redis for jobs, Postgres for data.
// Web and worker run the same image; only the command differs.
import { defineProject } from 'devfleet';

const image = 'ghcr.io/example/shop:2026.11.3';
const railsEnv = {
  RAILS_ENV: 'development',
  DB_PASSWORD: { secret: 'shop-db', key: 'password' },
  // Kubernetes expands $(DB_PASSWORD): a variable defined earlier in the same container.
  DATABASE_URL: 'postgres://shop:$(DB_PASSWORD)@127.0.0.1:5432/shop_development',
  REDIS_URL: 'redis://127.0.0.1:6379/0',
  SECRET_KEY_BASE: { secret: 'shop-rails', key: 'secret-key-base' },
};

export default defineProject({
  name: 'shop',
  description: 'Rails shop: Puma + Sidekiq + Redis + Postgres',
  containers: [
    {
      name: 'web',
      image,
      command: ['bundle', 'exec', 'puma', '-C', 'config/puma.rb'],
      env: { ...railsEnv, PORT: '3000' },
      ports: [{ name: 'http', port: 3000 }],
      resources: { cpu: '250m', memory: '768Mi' },
      readiness: { port: 'http', path: '/up' },
    },
    {
      name: 'worker',
      image,
      command: ['bundle', 'exec', 'sidekiq'],
      env: railsEnv,
      resources: { cpu: '100m', memory: '512Mi' },
    },
    {
      name: 'redis',
      image: 'redis:7.4-alpine',
      ports: [{ name: 'redis', port: 6379 }],
      resources: { cpu: '50m', memory: '64Mi' },
    },
    {
      name: 'postgres',
      image: 'postgres:17.2',
      env: { POSTGRES_USER: 'shop', POSTGRES_PASSWORD: { secret: 'shop-db', key: 'password' }, PGDATA: '/var/lib/postgresql/data/pgdata' },
      ports: [{ name: 'postgres', port: 5432 }],
      resources: { cpu: '100m', memory: '256Mi' },
      volumes: [{ path: '/var/lib/postgresql/data', name: 'pgdata', persistent: true, size: '10Gi' }],
    },
  ],
  // Both made in the cluster for every env: a database password and Rails' secret_key_base.
  secrets: { 'shop-db': { generate: 'password' }, 'shop-rails': { generate: 'password', length: 64 } },
  routes: [{ host: 'shop.example.com', port: 'http' }],
  // Product images live in S3: every env reads them (EKS Pod Identity, see terraform/), through a
  // customer-managed policy scoped to that one bucket (terraform/clusters/dev/main.tf), never an
  // AWS-managed one such as AmazonS3ReadOnlyAccess, which reads every bucket of the account.
  aws: { policies: ['arn:aws:iam::123456789012:policy/devfleet-dev-shop-images-read'] },
  swap: { container: 'web' },
});
