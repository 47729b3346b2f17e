/**
 * scripts/cluster.ts itself (`npm run cluster:up/down`): a second `up` reuses the running control
 * plane, `down` leaves no process and no directory behind, and a pid file naming somebody else's
 * process is never acted on; its command line refuses a mistyped flag (exit 2). Uses a control plane of its own, not the run's shared one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiGet, clusterDown, clusterUp, processesUsing } from '../../scripts/cluster.ts';
import { REPO, tempRoot } from '../helpers/fixtures.ts';

const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager'];
const pids = (dir: string) => COMPONENTS.map((c) => Number(readFileSync(join(dir, `${c}.pid`), 'utf8')));
const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('npm run cluster:up / cluster:down', () => {
  it('GIVEN a running control plane WHEN up runs again THEN it is reused; WHEN down runs THEN nothing of it is left', async () => {
    const dir = join(tempRoot(), 'cluster');
    const first = await clusterUp({ dir });
    const before = pids(dir);
    expect(before.every(running)).toBe(true);
    expect((await apiGet(first, '/readyz')).body).toBe('ok');
    for (const file of ['kubeconfig', 'kubeconfig-alice', 'kubeconfig-outsider', 'tokens.csv', 'pki/ca.crt', 'pki/sa.key']) expect(existsSync(join(dir, file)), file).toBe(true);

    const lines: string[] = [];
    const second = await clusterUp({ dir, log: (l) => lines.push(l) });
    expect(second).toEqual(first);
    expect(pids(dir)).toEqual(before);
    expect(lines).toEqual([`reusing the control-plane cluster already running at ${first.server} (${dir})`]);

    await clusterDown({ dir });
    expect(before.filter(running)).toEqual([]);
    expect(processesUsing(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it("GIVEN a pid file naming another program's process WHEN down runs THEN that process is left alone", async () => {
    const dir = join(tempRoot(), 'cluster');
    mkdirSync(dir);
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'kube-apiserver.pid'), `${bystander.pid}\n`);
      await clusterDown({ dir });
      expect(running(bystander.pid!)).toBe(true);
      expect(existsSync(dir)).toBe(false);
    } finally {
      bystander.kill();
    }
  });

  it('GIVEN no command, an unknown flag or an unknown profile WHEN the script runs THEN it prints the usage problem, exits 2 and starts nothing', () => {
    const dir = join(tempRoot(), 'cluster');
    const script = (...args: string[]) => spawnSync('npx', ['tsx', join(REPO, 'scripts', 'cluster.ts'), ...args], { cwd: REPO, encoding: 'utf8' });
    const usage = 'usage: tsx scripts/cluster.ts up [--profile gitops|control-plane] | down | status   [--dir DIR]\n';
    expect(script()).toMatchObject({ status: 2, stdout: '', stderr: usage });
    // Flags are parsed by commander: a mistyped one is refused, not ignored (with --dri the default .cluster/ would be used).
    expect(script('status', '--dri', dir)).toMatchObject({ status: 2, stdout: '', stderr: `cluster: unknown option '--dri'\n(Did you mean --dir?)\n${usage}` });
    expect(script('up', '--profile', 'full', '--dir', dir)).toMatchObject({ status: 2, stdout: '', stderr: 'cluster: --profile is gitops (default) or control-plane\n' });
    expect(existsSync(dir)).toBe(false);
  });
});
