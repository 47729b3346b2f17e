/** pushBranch against a real bare git remote: one commit on the base, idempotent re-runs, no working-tree changes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pushBranch } from '../../generators/bots/push-branch.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { AUTHOR, git, makeRemote } from '../helpers/git-remote.ts';

const author = { name: 'devfleet-bot[bot]', email: 'devfleet-bot[bot]@users.noreply.github.com' };

function seeded() {
  return makeRemote(tempRoot({ 'README.md': '# repo\n', 'projects/a.yaml': 'name: a\n' }));
}

describe('pushBranch', () => {
  it('GIVEN a shallow checkout of main WHEN files are pushed to a new branch THEN the remote has one commit on main with exactly those changes, and the checkout is untouched', () => {
    const remote = seeded();
    const dir = remote.checkout();
    const before = git(dir, 'status', '--porcelain');
    const result = pushBranch(dir, { remote: remote.url, base: 'main', branch: 'devfleet/new-project-1', files: new Map([['projects/b.ts', 'export default 1;\n'], ['clusters/x/y.yaml', 'k: v\n']]), deletions: ['projects/a.yaml'], message: 'Add b', author });
    expect(result.pushed).toBe(true);
    expect(remote.head('devfleet/new-project-1')).toBe(result.commit);
    const tree = remote.worktree('devfleet/new-project-1');
    expect(git(tree, 'log', '--format=%s|%an|%P', '-1')).toBe(`Add b|devfleet-bot[bot]|${remote.head('main')}`);
    expect(git(tree, 'ls-files').split('\n').sort()).toEqual(['README.md', 'clusters/x/y.yaml', 'projects/b.ts']);
    expect(readFileSync(join(tree, 'projects/b.ts'), 'utf8')).toBe('export default 1;\n');
    expect(git(dir, 'status', '--porcelain')).toBe(before);
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
  });

  it('GIVEN the branch already has this content on the current main WHEN pushed again THEN nothing is pushed; WHEN the content or main changes THEN the branch is replaced by one new commit', () => {
    const remote = seeded();
    const files = new Map([['projects/b.ts', 'one\n']]);
    const first = pushBranch(remote.checkout(), { remote: remote.url, base: 'main', branch: 'bot/b', files, message: 'm', author });
    const again = pushBranch(remote.checkout(), { remote: remote.url, base: 'main', branch: 'bot/b', files, message: 'm', author });
    expect(again).toEqual({ commit: first.commit, pushed: false });

    const changed = pushBranch(remote.checkout(), { remote: remote.url, base: 'main', branch: 'bot/b', files: new Map([['projects/b.ts', 'two\n']]), message: 'm', author });
    expect(changed.pushed).toBe(true);
    expect(git(remote.worktree('bot/b'), 'rev-list', '--count', 'HEAD')).toBe('2'); // seed + one bot commit, not a pile

    const other = remote.worktree('main');
    writeFileSync(join(other, 'README.md'), '# moved\n');
    git(other, ...AUTHOR, 'commit', '-qam', 'main moves');
    git(other, 'push', '-q', 'origin', 'main');
    const rebased = pushBranch(remote.checkout(), { remote: remote.url, base: 'main', branch: 'bot/b', files: new Map([['projects/b.ts', 'two\n']]), message: 'm', author });
    expect(rebased.pushed).toBe(true);
    expect(git(remote.worktree('bot/b'), 'log', '--format=%s', '-3').split('\n')).toEqual(['m', 'main moves', 'seed']);
  });

  it.each([['../escape'], ['/etc/passwd'], ['a/./b'], ['.git/config'], ['a//b']])('GIVEN the path %j WHEN pushed THEN it is refused and nothing is pushed', (path) => {
    const remote = seeded();
    expect(() => pushBranch(remote.checkout(), { remote: remote.url, base: 'main', branch: 'bot/x', files: new Map([[path, 'x']]), message: 'm', author })).toThrow(/refusing to commit the path/);
    expect(remote.head('bot/x')).toBeUndefined();
  });

  it('GIVEN a branch name that is an option or invalid WHEN pushed THEN it is refused', () => {
    const remote = seeded();
    for (const branch of ['--upload-pack=touch /tmp/x', 'a..b', 'x y']) {
      expect(() => pushBranch(remote.checkout(), { remote: remote.url, base: 'main', branch, files: new Map(), message: 'm', author })).toThrow(/is not a valid branch name/);
    }
  });

  it('GIVEN a remote that does not exist WHEN pushed with a token THEN the error says what to check and never shows the token', () => {
    const remote = seeded();
    const missing = join(tempRoot(), 'nope.git');
    let message = '';
    try {
      pushBranch(remote.checkout(), { remote: missing, base: 'main', branch: 'bot/x', files: new Map(), message: 'm', author, token: 'ghs_secret123' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/git fetch failed: .* What to do: check that the remote .* exists and the token may push to it/);
    expect(message).not.toContain('ghs_secret123');
  });
});
