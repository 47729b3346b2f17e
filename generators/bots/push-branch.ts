/**
 * Puts files on a bot branch of a remote as ONE commit on top of a base branch, with git's
 * plumbing in a private index: the working tree, the index and HEAD of `dir` are never touched.
 * When the branch already has exactly this content, nothing is pushed (re-runs are no-ops); when
 * it differs (the issue was edited, the base moved) the branch is replaced, guarded by
 * --force-with-lease so a push that raced with ours is never overwritten blindly.
 *
 * A token is handed to git through GIT_CONFIG_* environment variables as an HTTP header, never
 * on a command line (where other processes could read it) and never stored in .git/config.
 * Ref https://git-scm.com/docs/git-config#Documentation/git-config.txt-GITCONFIGCOUNT
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BotError } from './bot-error.ts';

export interface PushBranchOptions {
  /** URL or path of the remote repository. */
  readonly remote: string;
  /** Branch of the remote to build on, e.g. `main`. */
  readonly base: string;
  /** Branch to write, e.g. `devfleet/new-project-12`. */
  readonly branch: string;
  /** Files to add or replace, by path relative to the repository root. */
  readonly files: ReadonlyMap<string, string | Buffer>;
  readonly deletions?: readonly string[];
  readonly message: string;
  readonly author: { readonly name: string; readonly email: string };
  /** Token for an https remote (sent as `Authorization: basic x-access-token:<token>`). */
  readonly token?: string;
}

export interface PushBranchResult {
  readonly commit: string;
  readonly pushed: boolean;
}

export function pushBranch(dir: string, options: PushBranchOptions): PushBranchResult {
  const { remote, base, branch } = options;
  for (const name of [base, branch]) {
    if (name.startsWith('-') || spawnSync('git', ['check-ref-format', '--branch', name], { cwd: dir }).status !== 0) throw new BotError(`${JSON.stringify(name)} is not a valid branch name`);
  }
  for (const path of [...options.files.keys(), ...(options.deletions ?? [])]) {
    if (path.startsWith('/') || path.split('/').some((part) => part === '' || part === '.' || part === '..' || part === '.git')) throw new BotError(`refusing to commit the path ${JSON.stringify(path)}`);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'devfleet-push-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_INDEX_FILE: join(scratch, 'index'),
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: options.author.name,
    GIT_AUTHOR_EMAIL: options.author.email,
    GIT_COMMITTER_NAME: options.author.name,
    GIT_COMMITTER_EMAIL: options.author.email,
    ...(options.token
      ? {
          GIT_CONFIG_COUNT: '2',
          GIT_CONFIG_KEY_0: 'http.extraHeader',
          GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${options.token}`).toString('base64')}`,
          GIT_CONFIG_KEY_1: 'credential.helper',
          GIT_CONFIG_VALUE_1: '',
        }
      : {}),
  };
  const git = (args: string[], input?: string): string => {
    const run = spawnSync('git', args, { cwd: dir, env, input, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.error) throw new BotError(`git could not be run (${run.error.message}); install git on the runner`);
    if (run.status !== 0) {
      const said = run.stderr.replaceAll(options.token ?? '\0', '***').replace(/\s+/g, ' ').trim().replace(/\.$/, '');
      throw new BotError(`git ${args[0]} failed: ${said}. What to do: check that the remote ${remote} exists and the token may push to it (GitHub App permission contents: write, docs/bots.md)`);
    }
    return run.stdout.trim();
  };

  try {
    // A shallow checkout (actions/checkout's default) stays shallow; a full clone is never made shallow.
    const depth = git(['rev-parse', '--is-shallow-repository']) === 'true' ? ['--depth=1'] : [];
    git(['fetch', '--quiet', '--no-tags', ...depth, remote, `refs/heads/${base}`]);
    const baseCommit = git(['rev-parse', '--verify', 'FETCH_HEAD^{commit}']);
    const current = git(['ls-remote', '--heads', remote, `refs/heads/${branch}`]).split(/\s+/)[0] || undefined;

    // Blobs from files on disk in one `hash-object` run, then one `update-index` for all paths.
    git(['read-tree', baseCommit]);
    const paths = [...options.files.keys()];
    if (paths.length > 0) {
      const staging = join(scratch, 'files');
      paths.forEach((path, i) => {
        mkdirSync(dirname(join(staging, String(i))), { recursive: true });
        writeFileSync(join(staging, String(i)), options.files.get(path)!);
      });
      const blobs = git(['hash-object', '-w', '--no-filters', '--stdin-paths'], paths.map((_, i) => `${join(staging, String(i))}\n`).join('')).split('\n');
      git(['update-index', '-z', '--index-info'], paths.map((path, i) => `100644 ${blobs[i]}\t${path}\0`).join(''));
    }
    if ((options.deletions ?? []).length > 0) git(['update-index', '-z', '--force-remove', '--stdin'], options.deletions!.map((p) => `${p}\0`).join(''));
    const tree = git(['write-tree']);

    if (current) {
      git(['fetch', '--quiet', '--no-tags', ...depth, remote, `refs/heads/${branch}`]);
      // The raw commit names its tree and parents even where a shallow fetch has no parent object.
      const raw = git(['cat-file', 'commit', 'FETCH_HEAD']);
      const currentTree = /^tree ([0-9a-f]+)$/m.exec(raw)?.[1];
      const currentParent = [...raw.split('\n\n')[0]!.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]).join(' ');
      // Same content on the same base: the branch is up to date.
      if (currentTree === tree && currentParent === baseCommit) return { commit: current, pushed: false };
    }
    const commit = git(['commit-tree', tree, '-p', baseCommit, '-F', '-'], options.message);
    git(['push', '--quiet', `--force-with-lease=refs/heads/${branch}:${current ?? ''}`, remote, `${commit}:refs/heads/${branch}`]);
    return { commit, pushed: true };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
