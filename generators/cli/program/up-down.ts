import { resolveRoot } from '../root.ts';
import type { ScaleOptions } from '../commands/up-down.ts';
import type { Register } from './context.ts';
import { kube, lifecycle } from './options.ts';

/** `up` and `down`: wake an env, or put it to sleep. */
export const register: Register = (program, { io, readOnly }) => {
  kube(lifecycle(program.command('up').argument('<project>', 'project to wake, e.g. my-app')))
    .description('Wake your env of a project (scale it to 1) and print its URLs.')
    .option('--wait', 'wait until it is ready, showing progress')
    .option('--timeout <duration>', 'needs --wait: give up after this long, e.g. 90s or 10m (default: 5m)')
    .addHelpText(
      'after',
      '\nBehind the front door (the default) opening the env\'s URL wakes it too, with a "starting" page\nuntil it answers; after `up` it stays awake until it has had no request for its idle time\n(idleMinutes, default 60), and it sleeps at night either way.\n\nExample:\n  npx devfleet up my-app --wait',
    )
    .action((project: string, opts: ScaleOptions & { root?: string }) => readOnly(async () => (await import('../commands/up-down.ts')).upCommand(resolveRoot(opts.root), project, opts, io)));

  kube(lifecycle(program.command('down').argument('<project>', 'project to put to sleep')))
    .description('Put your env of a project to sleep (scale it to 0); its persistent data is kept.')
    .addHelpText('after', '\nBehind the front door the next request to its URL wakes it again.')
    .action((project: string, opts: ScaleOptions & { root?: string }) => readOnly(async () => (await import('../commands/up-down.ts')).downCommand(resolveRoot(opts.root), project, opts, io)));
};
