// A Node.js JSON API with its MongoDB. Only the team that owns it gets envs.
import { defineProject } from 'devfleet';

export default defineProject({
  name: 'notes-api',
  description: 'Notes service: Node.js API + MongoDB',
  containers: [
    {
      name: 'api',
      image: 'node:22.12-bookworm-slim',
      command: ['node', 'server.js'],
      workingDir: '/app',
      env: {
        NODE_ENV: 'development',
        PORT: '3000',
        MONGO_PASSWORD: { secret: 'notes-api-mongo', key: 'password' },
        MONGO_URL: 'mongodb://notes:$(MONGO_PASSWORD)@127.0.0.1:27017/notes?authSource=admin',
      },
      ports: [{ name: 'http', port: 3000 }],
      resources: { cpu: '100m', memory: '256Mi' },
      readiness: { port: 'http', path: '/healthz' },
    },
    {
      name: 'mongo',
      image: 'mongo:8.0',
      env: { MONGO_INITDB_ROOT_USERNAME: 'notes', MONGO_INITDB_ROOT_PASSWORD: { secret: 'notes-api-mongo', key: 'password' } },
      ports: [{ name: 'mongo', port: 27017 }],
      resources: { cpu: '100m', memory: '512Mi', memoryLimit: '1Gi' },
      volumes: [{ path: '/data/db', persistent: true, size: '2Gi' }],
    },
  ],
  secrets: { 'notes-api-mongo': { generate: 'password' } },
  routes: [{ host: 'notes.api', port: 'http', path: '/' }],
  developers: ['alice', 'carol', 'dave'],
  // Attachments go to an S3 bucket and notifications to SQS, through EKS Pod Identity (terraform/).
  aws: { policies: ['arn:aws:iam::123456789012:policy/notes-api-attachments', 'arn:aws:iam::123456789012:policy/notes-api-notifications'] },
  swap: { container: 'api' },
});
