/** An issue-form body -> a project definition, or the problems to tell the issue's author. */
import type { ProjectDefinition } from '../schema/project.ts';
import { buildProject } from './build-project.ts';
import type { InputProblem } from './input-problem.ts';
import { parseIssueForm } from './parse-issue-form.ts';

export function projectFromIssue(body: string): { definition?: ProjectDefinition; problems: InputProblem[]; origins: ReadonlyMap<string, string> } {
  const form = parseIssueForm(body);
  if (!form.input) return { problems: form.problems, origins: new Map() };
  const built = buildProject(form.input);
  return built.definition ? { definition: built.definition, problems: [], origins: built.origins } : { problems: built.problems, origins: built.origins };
}
