/**
 * `npm run bench`: synth + render of generated fleets of 1,000 and 10,000 envs, each measured in
 * its own process, reporting wall time and peak memory against the targets (2-core machine):
 * 1,000 envs < 2 s, 10,000 envs < 20 s, < 1 GiB. Not a test: timings never gate CI.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sizes = [
  { envs: 1_000, projects: 10, developers: 100, targetMs: 2_000 },
  { envs: 10_000, projects: 20, developers: 500, targetMs: 20_000 },
];
const MEMORY_TARGET_MIB = 1024;
const measure = fileURLToPath(new URL('./measure.ts', import.meta.url));

console.log('envs    files   synth      render     synth+render  target   peak RSS   verdict');
let missed = 0;
for (const size of sizes) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', measure, String(size.projects), String(size.developers)], { encoding: 'utf8' });
  if (run.status !== 0) {
    console.error(run.stderr);
    process.exit(1);
  }
  const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { envs: number; files: number; synthMs: number; renderMs: number; peakRssMiB: number };
  const total = r.synthMs + r.renderMs;
  const ok = total < size.targetMs && r.peakRssMiB < MEMORY_TARGET_MIB;
  if (!ok) missed++;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    [String(r.envs).padEnd(7), String(r.files).padEnd(7), s(r.synthMs).padEnd(10), s(r.renderMs).padEnd(10), s(total).padEnd(13), `< ${s(size.targetMs)}`.padEnd(8), `${r.peakRssMiB.toFixed(0)} MiB`.padEnd(10), ok ? 'ok' : 'MISSED'].join(' '),
  );
}
console.log('(times exclude Node.js start-up; each size runs in a fresh process)');
process.exitCode = missed > 0 ? 1 : 0;
