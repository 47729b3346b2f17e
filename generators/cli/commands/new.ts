/**
 * `devfleet new`: scaffold `projects/<name>.ts|.yaml` from flags, from prompts on a terminal, or
 * from a GitHub issue-form body (`--from-issue`), validate it against the whole fleet before
 * anything is written, then run synth. Invalid input writes nothing and exits 1.
 */
import { projectFile } from '../../plan/layout.ts';
import { readFileSync, statSync } from 'node:fs';
import type { Context } from '@inquirer/type';
import { DefinitionError, type Problem } from '../../util/problem.ts';
import { askProject, type PartialProjectInput } from './ask-project.ts';
import { buildProject, locate, type Located, type ProjectInput } from '../../scaffold/build-project.ts';
import type { InputProblem } from '../../scaffold/input-problem.ts';
import { parseIssueForm } from '../../scaffold/parse-issue-form.ts';
import { scaffoldProject } from '../../scaffold/scaffold-project.ts';
import { PROJECT_EXTENSIONS, type ProjectFormat } from '../../scaffold/serialize-project.ts';
import { UsageError } from '../../util/errors.ts';
import { loadValidPart } from '../../definitions/load-fleet.ts';
import { GITHUB_BODY_MAX_BYTES } from '../../util/github-limits.ts';
import type { Io } from '../io.ts';
import { synthCommand } from './synth.ts';

/** The exit code of a command interrupted by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_CANCELLED = 130;

export interface NewOptions {
  readonly description?: string;
  readonly container?: readonly string[];
  readonly image?: string;
  readonly port?: readonly string[];
  readonly route?: readonly string[];
  readonly developers?: string;
  readonly format?: ProjectFormat;
  readonly force?: boolean;
  readonly fromIssue?: string;
  readonly synth?: boolean;
}

/** How missing answers are asked: only on a terminal (see main.ts), and tests pass their own streams. */
export interface Prompting {
  readonly interactive: boolean;
  readonly context?: Context;
}

export async function newCommand(root: string, name: string | undefined, opts: NewOptions, io: Io, prompting: Prompting = { interactive: false }): Promise<number> {
  const format = opts.format ?? 'ts';
  let input: ProjectInput;
  let source: string;
  if (opts.fromIssue !== undefined) {
    const conflicting = [name !== undefined && '<name>', opts.container?.length && '--container', opts.image && '--image', opts.port?.length && '--port', opts.route?.length && '--route', opts.description !== undefined && '--description', opts.developers !== undefined && '--developers'].filter(Boolean);
    if (conflicting.length > 0) throw new UsageError(`--from-issue takes every field from the issue; drop ${conflicting.join(', ')}`);
    source = opts.fromIssue;
    const form = parseIssueForm(readIssueBody(opts.fromIssue));
    if (!form.input) throw inputError(source, form.problems);
    input = form.input;
  } else {
    source = '(flags)';
    const given = fromFlags(name, opts);
    const complete = given.name !== undefined && given.containers.length > 0;
    if (!complete && !prompting.interactive) {
      const missing = [given.name === undefined && '<name>', given.containers.length === 0 && '--container (or --image)'].filter(Boolean).join(' and ');
      throw new UsageError(`missing ${missing}; e.g. devfleet new my-app --container name=web,image=nginx:1.27,port=http:80 (run it in a terminal to be asked instead)`);
    }
    if (complete) input = { ...given, name: given.name };
    else {
      try {
        input = await askProject(given, prompting.context, { developers: await developerNames(root) });
      } catch (error) {
        // Ctrl-C (or Ctrl-D) at a prompt: @inquirer/prompts rejects with ExitPromptError. End quietly,
        // as a shell does: nothing is written before the last answer, and 130 is 128 + SIGINT.
        if (error instanceof Error && error.name === 'ExitPromptError') {
          io.stderr('devfleet: cancelled; nothing was written');
          return EXIT_CANCELLED;
        }
        throw error;
      }
    }
    source = complete ? source : '(answers)';
  }

  const built = buildProject(input);
  if (!built.definition) throw inputError(source, built.problems);
  try {
    const result = await scaffoldProject(root, built.definition, { format, force: opts.force ?? false });
    io.stdout(`created ${result.file}${result.replaced.length > 0 ? ` (replaced ${result.replaced.join(', ')})` : ''}\n`);
  } catch (error) {
    // Schema problems name fields of the new file; say which flag, answer or issue field they came from.
    if (error instanceof DefinitionError) {
      const file = projectFile(built.definition.name, PROJECT_EXTENSIONS[format]);
      throw new DefinitionError(error.problems.map((p) => (p.file === file ? { ...p, path: locate(p.path, built.origins) } : p)));
    }
    throw error;
  }
  return opts.synth === false ? 0 : synthCommand(root, {}, io);
}

function fromFlags(name: string | undefined, opts: NewOptions): PartialProjectInput {
  if (opts.image !== undefined && (opts.container?.length ?? 0) > 0) throw new UsageError('give either --image (one container named "app") or --container, not both');
  if (opts.image === undefined && (opts.port?.length ?? 0) > 0) throw new UsageError('--port goes with --image; with --container write the ports inside it: --container name=web,image=nginx:1.27,port=http:80');
  const flag = (value: string, where: string): Located => ({ value, where });
  const containers =
    opts.image !== undefined
      ? [flag([`name=app`, `image=${opts.image}`, ...(opts.port ?? []).map((p) => `port=${p}`)].join(','), '--image')]
      : (opts.container ?? []).map((spec, i) => flag(spec, `--container #${i + 1}`));
  return {
    name: name === undefined ? undefined : flag(name, '<name>'),
    description: opts.description === undefined ? undefined : flag(opts.description, '--description'),
    containers,
    routes: (opts.route ?? []).map((spec, i) => flag(spec, `--route #${i + 1}`)),
    developers: opts.developers === undefined ? undefined : flag(opts.developers, '--developers'),
  };
}

/** The developers of every valid cluster, for the pick-list; none when the definitions cannot be read (the prompt then takes names as text). */
async function developerNames(root: string): Promise<string[]> {
  try {
    const { fleet } = await loadValidPart(root);
    return [...new Set(fleet.clusters.flatMap((plan) => plan.cluster.developers.map((d) => d.name)))];
  } catch (error) {
    if (error instanceof DefinitionError) return [];
    throw error;
  }
}

function readIssueBody(path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UsageError(`--from-issue ${path}: is a folder; give the file the issue body (the markdown of the issue form) was saved to`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--from-issue ${path}: no such file; save the issue body (the markdown of the issue form) to a file first`);
  }
  // UTF-8 takes at most 4 bytes a character: anything larger cannot be a GitHub issue body.
  if (size > GITHUB_BODY_MAX_BYTES) throw inputError(path, [{ where: 'issue body', message: `is ${size} bytes, more than a GitHub issue body can be; give the body of a "New project" issue` }]);
  return readFileSync(path, 'utf8');
}

function inputError(file: string, problems: readonly InputProblem[]): DefinitionError {
  return new DefinitionError(problems.map((p): Problem => ({ file, path: p.where, message: p.message })));
}
