/**
 * The sleep and wake CronJobs behind the front door (generators/cluster/schedule-jobs.ts): KEDA
 * wakes routed envs, so no wake job selects them; the sleep job first clears the force-activation
 * annotation `devfleet up` may have left on their ScaledObjects. (Their exact kubectl words against
 * a real API server: test/integration/access.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { clearForceActivationArgs, scheduleJobs, scheduleObjects, SCALER_RULES } from '../../generators/cluster/schedule-jobs.ts';
import { clusterModel, projectModel } from '../../generators/plan/model.ts';
import { planFleet } from '../../generators/plan/plan.ts';

const clusterIn = (mode: 'front-door' | 'ingress-groups') =>
  clusterModel('clusters/dev.yaml', { name: 'dev', domain: 'dev.example.com', timeZone: 'Asia/Tokyo', developers: [{ name: 'alice' }], argocd: { repoURL: 'https://git.example.com/x.git' }, schedule: { sleep: '22:00', wake: '09:00' }, ingress: { mode } });
const web = projectModel('projects/web.yaml', { name: 'web', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', port: 80 }] }], routes: [{ host: 'web', port: 'http' }] } as never);
const worker = projectModel('projects/worker.yaml', { name: 'worker', containers: [{ name: 'w', image: 'busybox:1.37' }] } as never);
const jobsOf = (mode: 'front-door' | 'ingress-groups', projects = [web, worker]) => {
  const cluster = clusterIn(mode);
  const plan = planFleet([cluster], projects).clusters[0]!;
  return { plan, cluster, jobs: scheduleJobs(plan.envs) };
};

describe('schedule jobs behind the front door', () => {
  it('GIVEN a routed env and a worker, both waking at 09:00, behind the front door WHEN the jobs are made THEN the wake job is for the worker only and the sleep job clears the annotation first', () => {
    const { plan, cluster } = jobsOf('front-door');
    const objects = scheduleObjects(cluster, 'alice', plan.envs) as Record<string, any>[];
    const cronJobs = objects.filter((o) => o.kind === 'CronJob');
    expect(cronJobs.map((c) => c.metadata.name)).toEqual(['devfleet-sleep-2200-daily', 'devfleet-wake-0900-weekdays']);
    const sleepPod = cronJobs[0]!.spec.jobTemplate.spec.template.spec;
    expect(sleepPod.initContainers.map((c: { name: string; args: string[] }) => [c.name, c.args])).toEqual([
      ['clear-force-activation', ['annotate', 'scaledobjects.keda.sh', '--namespace=dev-alice', '--selector=devfleet.dev/sleep=2200-daily', 'autoscaling.keda.sh/force-activation-']],
    ]);
    expect(sleepPod.containers[0].args).toEqual(['scale', 'deployment', '--namespace=dev-alice', '--selector=devfleet.dev/sleep=2200-daily', '--replicas=0']);
    // The same hardening as the main container: no shell in the image, nothing writable but /tmp.
    expect(sleepPod.initContainers[0].securityContext).toEqual(sleepPod.containers[0].securityContext);
    expect(cronJobs[1]!.spec.jobTemplate.spec.template.spec.initContainers).toBeUndefined();
    // Only the worker carries the wake label the wake job selects.
    const wakeJob = scheduleJobs(plan.envs).find((j) => j.action === 'wake')!;
    expect(wakeJob.selector).toBe('devfleet.dev/wake=0900-weekdays');
  });

  it('GIVEN only routed envs waking at 09:00 behind the front door WHEN the jobs are made THEN there is no wake job at all (KEDA\'s cron trigger wakes them)', () => {
    expect(jobsOf('front-door', [web]).jobs.map((j) => j.name)).toEqual(['devfleet-sleep-2200-daily']);
  });

  it('GIVEN the same envs with per-env Ingresses WHEN the jobs are made THEN the wake job wakes both and the sleep job touches no ScaledObject', () => {
    const { jobs } = jobsOf('ingress-groups');
    expect(jobs.map((j) => [j.name, j.clearsForceActivation])).toEqual([
      ['devfleet-sleep-2200-daily', false],
      ['devfleet-wake-0900-weekdays', false],
    ]);
  });

  it('GIVEN the scaler\'s rules WHEN read THEN it may list, get and patch ScaledObjects and nothing else of KEDA', () => {
    expect(SCALER_RULES.filter((r) => (r.apiGroups as readonly string[]).includes('keda.sh'))).toEqual([{ apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['get', 'list', 'patch'] }]);
    expect(clearForceActivationArgs({ selector: 'devfleet.dev/sleep=x' } as never, 'ns')).toEqual(['annotate', 'scaledobjects.keda.sh', '--namespace=ns', '--selector=devfleet.dev/sleep=x', 'autoscaling.keda.sh/force-activation-']);
  });
});
