/**
 * generators/cluster/schedule-jobs.ts (with the table in generators/plan/kubectl-image.ts): the
 * jobs' kubectl follows the cluster's Kubernetes minor, an unknown minor is a validate error, and
 * failed jobs stay visible for at least a week.
 */
import { CronExpressionParser } from 'cron-parser';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FAILED_JOBS_KEPT, scheduleObjects } from '../../generators/cluster/schedule-jobs.ts';
import { KUBECTL_PATCH_BY_MINOR, kubectlImage } from '../../generators/plan/kubectl-image.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';
import { runCli } from '../helpers/cli.ts';
import { snapshotTree, tempRoot } from '../helpers/fixtures.ts';

const clusterDef = { name: 'dev', domain: 'dev.example.com', timeZone: 'Europe/Berlin', developers: [{ name: 'ann' }], argocd: { repoURL: 'https://git.example.com/x.git' } };
const project = (name: string, schedule?: Record<string, unknown>) => projectModel(`projects/${name}.yaml`, { name, containers: [{ name: 'app', image: 'nginx:1.27' }], ...(schedule ? { schedule } : {}) } as never);

function cronJobs(kubernetesVersion?: string, schedules: (Record<string, unknown> | undefined)[] = [undefined]): Record<string, any>[] {
  const cluster = clusterModel('clusters/dev.yaml', { ...clusterDef, ...(kubernetesVersion ? { kubernetesVersion } : {}) });
  const plan = planFleet([cluster], schedules.map((s, i) => project(`p${i}`, s))).clusters[0]!;
  return (scheduleObjects(cluster, 'ann', plan.envs) as Record<string, any>[]).filter((o) => o.kind === 'CronJob');
}
const imageOf = (job: Record<string, any>) => job.spec.jobTemplate.spec.template.spec.containers[0].image as string;

describe('the jobs\' kubectl', () => {
  it('GIVEN no kubernetesVersion (default 1.35), 1.34 or 1.37 WHEN the jobs are generated THEN they run registry.k8s.io/kubectl at that minor\'s newest known patch', () => {
    expect(cronJobs().map(imageOf)).toEqual(['registry.k8s.io/kubectl:v1.35.10']);
    expect(cronJobs('1.34').map(imageOf)).toEqual(['registry.k8s.io/kubectl:v1.34.13']);
    expect(cronJobs('1.37').map(imageOf)).toEqual(['registry.k8s.io/kubectl:v1.37.2']);
  });

  it('GIVEN the table WHEN read THEN every minor maps to a patch of that same minor, so the job never skews from the cluster', () => {
    expect(Object.keys(KUBECTL_PATCH_BY_MINOR).length).toBeGreaterThan(0);
    for (const [minor, patch] of Object.entries(KUBECTL_PATCH_BY_MINOR)) {
      expect(patch, minor).toMatch(new RegExp(`^${minor.replace('.', '\\.')}\\.\\d+$`));
      expect(kubectlImage(minor)).toBe(`registry.k8s.io/kubectl:v${patch}`);
    }
    expect(kubectlImage('1.99')).toBeUndefined();
    expect(kubectlImage('constructor')).toBeUndefined();
  });

  it('GIVEN a cluster at a minor the table does not know WHEN validated THEN it is one problem naming the file, the field, the known minors and the fix, and synth writes nothing', async () => {
    const root = tempRoot({
      'clusters/dev.yaml': stringify({ ...clusterDef, kubernetesVersion: '1.29' }),
      'projects/web.yaml': stringify({ name: 'web', containers: [{ name: 'app', image: 'nginx:1.27' }] }),
    });
    const result = await runCli('validate', '--root', root);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `clusters/dev.yaml: kubernetesVersion: "1.29" has no kubectl image for the sleep/wake jobs (known minors: ${Object.keys(KUBECTL_PATCH_BY_MINOR).join(', ')}, checked 2026-11-30); use one of them, or add the minor's newest patch to generators/plan/kubectl-image.ts (line 8)\ndevfleet: 1 problem(s) in 1 file(s); nothing was written`,
    );
    const before = snapshotTree(root);
    expect((await runCli('synth', '--root', root)).code).toBe(1);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe('failed jobs stay visible', () => {
  /** The most runs of a cron schedule in any 7 days (counted over 8 weeks). */
  function mostRunsInAWeek(schedule: string, timeZone: string): number {
    const runs: number[] = [];
    const it = CronExpressionParser.parse(schedule, { currentDate: new Date('2026-01-05T00:00:00Z'), tz: timeZone });
    for (let t = it.next().getTime(); t < Date.parse('2026-03-02T00:00:00Z'); t = it.next().getTime()) runs.push(t);
    const week = 7 * 24 * 3600 * 1000;
    return Math.max(...runs.map((start) => runs.filter((t) => t >= start && t < start + week).length));
  }

  it('GIVEN daily, weekday and single-day schedules WHEN the jobs are generated THEN more failed Jobs are kept than runs fit in a week, and no TTL deletes them', () => {
    const jobs = cronJobs(undefined, [undefined, { wake: '08:30' }, { sleep: '19:00', days: ['fri'] }]);
    expect(jobs.map((j) => j.metadata.name).sort()).toEqual(['devfleet-sleep-1900-fri', 'devfleet-sleep-2200-daily', 'devfleet-wake-0830-weekdays']);
    for (const job of jobs) {
      expect(job.spec.failedJobsHistoryLimit, job.metadata.name).toBe(FAILED_JOBS_KEPT);
      expect(job.spec.failedJobsHistoryLimit, job.metadata.name).toBeGreaterThan(mostRunsInAWeek(job.spec.schedule, job.spec.timeZone));
      expect(job.spec.jobTemplate.spec.ttlSecondsAfterFinished, job.metadata.name).toBeUndefined();
    }
  });
});
