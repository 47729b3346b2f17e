/**
 * `devfleet import compose <file>`: a docker-compose file as `projects/<name>.ts|.yaml`, validated
 * with the whole fleet before anything is written (generators/scaffold/scaffold-project.ts), then
 * synth. What did not translate is printed in one warning block; what would make the env wrong is
 * refused (exit 1, nothing written), naming the service and the feature. The mapping:
 * docs/import-compose.md.
 */
import { readCompose } from '../../compose/read-compose.ts';
import { translateCompose } from '../../compose/translate-compose.ts';
import { scaffoldProject } from '../../scaffold/scaffold-project.ts';
import type { ProjectFormat } from '../../scaffold/serialize-project.ts';
import { UsageError } from '../../util/errors.ts';
import { formatProblem } from '../../util/problem.ts';
import type { Io } from '../io.ts';
import { synthCommand } from './synth.ts';

export interface ImportOptions {
  readonly name?: string;
  readonly registry?: string;
  readonly tag?: string;
  readonly image?: readonly string[];
  readonly format?: ProjectFormat;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly synth?: boolean;
}

export async function importCommand(root: string, kind: string, file: string, opts: ImportOptions, io: Io): Promise<number> {
  if (kind !== 'compose') throw new UsageError(`cannot import ${JSON.stringify(kind)}; devfleet imports "compose" files: devfleet import compose <compose-file>`);
  const images = new Map<string, string>();
  for (const spec of opts.image ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--image ${spec}: write SERVICE=IMAGE:TAG, e.g. --image proxy=nginx:1.27`);
    images.set(spec.slice(0, eq), spec.slice(eq + 1));
  }
  const project = readCompose(file);
  for (const service of images.keys()) {
    if (!project.services.some((s) => s.name === service)) throw new UsageError(`--image ${service}=...: ${file} has no service "${service}"; its services: ${project.services.map((s) => s.name).join(', ')}`);
  }
  const { definition, warnings } = translateCompose(project, { name: opts.name, registry: opts.registry, tag: opts.tag, images });
  const result = await scaffoldProject(root, definition, { format: opts.format ?? 'ts', force: opts.force ?? false, dryRun: opts.dryRun ?? false, by: 'devfleet import compose' });
  if (warnings.length > 0) {
    io.stderr(`devfleet: warning: ${warnings.length} thing(s) in ${file} were not imported as Compose runs them; check the app works without them:`);
    for (const warning of warnings) io.stderr(`  ${formatProblem(warning)}`);
  }
  if (opts.dryRun) {
    io.stdout(result.text);
    return 0;
  }
  io.stdout(`created ${result.file}${result.replaced.length > 0 ? ` (replaced ${result.replaced.join(', ')})` : ''} from ${file}\n`);
  return opts.synth === false ? 0 : synthCommand(root, {}, io);
}
