/**
 * Job 1 of .github/workflows/new-project.yml (contents: read): the issue in $GITHUB_EVENT_PATH ->
 * the artifact folder $ARTIFACT_DIR. Exit 0 for a valid or an invalid issue (job 2 reports both).
 */
import { REPO_ROOT } from '../../cli/root.ts';
import { prepareNewProject } from '../prepare-new-project.ts';
import { requireEnv, runBot } from './run-bot.ts';

await runBot('new-project-prepare', async () => {
  const result = await prepareNewProject(process.env.DEVFLEET_ROOT ?? REPO_ROOT, { eventPath: requireEnv('GITHUB_EVENT_PATH'), outDir: requireEnv('ARTIFACT_DIR') });
  return result.valid ? `issue #${result.issue}: ${result.file} and ${result.files.length - 1} generated file(s)` : `issue #${result.issue}: ${result.problems.length} problem(s) to report on the issue`;
});
