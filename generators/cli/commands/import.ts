/**
 * `devfleet import compose <file>`: a docker-compose file as `projects/<name>.ts|.yaml`, validated
 * with the whole fleet before anything is written (generators/compose/import-compose.ts, which the
 * "New project from compose" bot calls too), then synth. What did not translate is printed in one
 * warning block; what would make the env wrong is refused (exit 1, nothing written), naming the
 * service and the feature. The mapping: docs/import-compose.md.
 */
import { importCompose, parseImageOverride, UnknownServiceError } from '../../compose/import-compose.ts';
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
  readonly offline?: boolean;
}

export async function importCommand(root: string, kind: string, file: string, opts: ImportOptions, io: Io): Promise<number> {
  if (kind !== 'compose') throw new UsageError(`cannot import ${JSON.stringify(kind)}; devfleet imports "compose" files: devfleet import compose <compose-file>`);
  const images = new Map<string, string>();
  for (const spec of opts.image ?? []) {
    const override = parseImageOverride(spec);
    if (!override) throw new UsageError(`--image ${spec}: write SERVICE=IMAGE:TAG, e.g. --image proxy=nginx:1.27`);
    images.set(override.service, override.image);
  }
  let result;
  try {
    result = await importCompose(root, file, { name: opts.name, registry: opts.registry, tag: opts.tag, images, format: opts.format ?? 'ts', force: opts.force ?? false, dryRun: opts.dryRun ?? false, offline: opts.offline ?? false });
  } catch (error) {
    if (error instanceof UnknownServiceError) throw new UsageError(`--image ${error.service}=...: ${file} has no service "${error.service}"; its services: ${error.services.join(', ')}`);
    throw error;
  }
  const { warnings } = result;
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
