import type { TargetOptions } from '../../lifecycle/target.ts';
import { resolveRoot } from '../root.ts';
import type { Register } from './context.ts';
import { kube, lifecycle } from './options.ts';

export const register: Register = (program, { io, readOnly }) => {
  kube(lifecycle(program.command('status')))
    .description('Every env of a developer: awake, asleep or starting, why, since when, next scheduled sleep, URL.')
    .option('--json', 'print a JSON array of {project, developer, namespace, status, replicas, since, reason, scaledBy, idleMinutes, nextSleep, urls}')
    .addHelpText(
      'after',
      '\nSTATUS is awake, starting, asleep or missing (Argo CD has not created it yet).\nWHY is who last scaled it: request (woken by a request through the front door), idle (no request for\nits idle time), schedule (the sleep job, or the scheduled wake), cli (devfleet up/down), created\n(never woken), other (e.g. Headlamp; scaledBy names it), unknown (the API server kept no record).',
    )
    .action((opts: TargetOptions & { root?: string; context?: string; json?: boolean }) => readOnly(async () => (await import('../commands/status.ts')).statusCommand(resolveRoot(opts.root), opts, io)));
};
