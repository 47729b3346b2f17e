// The source article's application: nginx in front of a Go API, MySQL with its data kept on a
// persistent volume. Two public entry points: the site and its API.
import { defineProject } from 'devfleet';

export default defineProject({
  name: 'my-app',
  description: 'Storefront: nginx + Go + MySQL',
  containers: [
    {
      name: 'nginx',
      image: 'nginx:1.27',
      ports: [{ name: 'http', port: 80 }],
      readiness: { port: 'http', path: '/' },
    },
    {
      name: 'go',
      image: 'golang:1.23',
      command: ['go', 'run', '.'],
      workingDir: '/src',
      env: {
        APP_ENV: 'development',
        DB_HOST: '127.0.0.1',
        DB_PASSWORD: { secret: 'my-app-db', key: 'password' },
        // A Go template log format must reach the container untouched, braces included.
        LOG_FORMAT: '{{.Time}} {{.Level}} {{.Message}}',
      },
      ports: [{ name: 'api', port: 8080 }],
      resources: { cpu: '500m', memory: '512Mi' },
    },
    {
      name: 'mysql',
      image: 'mysql:8.4',
      // The same generated password as the Go container reads: made once per env, never in git.
      env: { MYSQL_ROOT_PASSWORD: { secret: 'my-app-db', key: 'password' }, MYSQL_DATABASE: 'my_app' },
      ports: [{ name: 'mysql', port: 3306 }],
      resources: { cpu: '250m', memory: '512Mi' },
      volumes: [{ path: '/var/lib/mysql', persistent: true, size: '5Gi' }],
    },
  ],
  // Made in the cluster for every env (External Secrets' Password generator): nobody creates anything.
  secrets: { 'my-app-db': { generate: 'password' } },
  routes: [
    { host: 'my-app.com', port: 'http' },
    { host: 'api.my-app.com', port: 'api' },
  ],
  developers: 'all',
  schedule: { wake: '09:00' },
  swap: { container: 'go' },
});
