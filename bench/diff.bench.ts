/**
 * `npx tsx bench/diff.bench.ts`: `devfleet diff` on a fleet of 1,000 envs (10 projects x 100
 * developers) in a temporary git repository, in this process (Node.js start-up excluded).
 * Cases: one project changed (the pull request a person opens), and every env changed (a
 * cluster-wide edit). Target: under 10 s each on the 2-core machine. Wall time and the process's
 * own CPU time (user + system) are both printed: on a shared machine the wall time includes waiting
 * for other processes, the CPU time does not; the verdict uses the CPU time. Not a test: never
 * gates CI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { diffCommand } from '../generators/cli/commands/diff.ts';
import { GITHUB_BODY_MAX } from '../generators/util/github-limits.ts';
import { writeFleet } from './make-fleet.ts';

const TARGET_MS = 10_000;
const root = mkdtempSync(join(tmpdir(), 'devfleet-diff-bench-'));
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
try {
  const { envs } = writeFleet(root, { projects: 10, developers: 100 });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'fleet');

  const cases: { name: string; edit: () => void }[] = [
    {
      name: 'one project changed',
      edit: () => {
        const file = join(root, 'projects', 'app003.yaml');
        writeFileSync(file, readFileSync(file, 'utf8').replace('nginx:1.27', 'nginx:1.28'));
      },
    },
    {
      name: 'every env changed',
      edit: () => {
        const file = join(root, 'clusters', 'fleet.yaml');
        writeFileSync(file, readFileSync(file, 'utf8').replace('fleet.example.com', 'fleet2.example.com'));
      },
    },
  ];
  console.log(`devfleet diff, ${envs} envs`);
  let missed = 0;
  for (const c of cases) {
    git('checkout', '-q', '--', '.');
    c.edit();
    let out = '';
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const code = await diffCommand(root, { base: 'HEAD' }, { stdout: (t) => (out += t), stderr: () => {}, interactive: false });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const ok = code === 0 && cpuMs < TARGET_MS && out.length < GITHUB_BODY_MAX;
    if (!ok) missed++;
    console.log(`${c.name.padEnd(22)} wall ${(ms / 1000).toFixed(2)} s, cpu ${(cpuMs / 1000).toFixed(2)} s (target < ${TARGET_MS / 1000} s)  comment ${out.length} chars  ${ok ? 'ok' : 'MISSED'}`);
  }
  process.exitCode = missed > 0 ? 1 : 0;
} finally {
  rmSync(root, { recursive: true, force: true });
}
