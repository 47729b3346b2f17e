import { describe, expect, it } from 'vitest';
import { ANNOTATIONS } from '../../generators/plan/labels.ts';
import { refreshedByWebhook } from '../../scripts/cluster-sync.ts';

/** An Application with the manifest-generate-paths annotation (or none) and one source path, as Argo CD's path_test.go getApp. */
const app = (annotation: string | undefined, path: string) => ({
  metadata: { name: 'a', ...(annotation === undefined ? {} : { annotations: { [ANNOTATIONS.manifestGeneratePaths]: annotation } }) },
  spec: { source: { path } },
});

// The cases of Argo CD's https://github.com/argoproj/argo-cd/blob/master/util/app/path/path_test.go (GetSourceRefreshPaths, AppFilesHaveChanged), read as
// "which changed file refreshes the Application".
describe('refreshedByWebhook (Argo CD Git webhook: which Applications a push refreshes)', () => {
  it('GIVEN sibling chart folders WHEN one changes THEN only its Application refreshes (TestAppFilesHaveChanged_MonoRepoSiblingPaths)', () => {
    const changed = ['app/testargo2/values.yaml'];
    expect(refreshedByWebhook(app('.', 'app/testargo1'), changed)).toBe(false);
    expect(refreshedByWebhook(app('.', 'app/testargo2'), changed)).toBe(true);
  });

  it('GIVEN a folder name that only starts like another WHEN it changes THEN the other does not refresh', () => {
    expect(refreshedByWebhook(app('.', 'app/testargo1'), ['app/testargo10/values.yaml'])).toBe(false);
  });

  it('GIVEN no list of changed files THEN every Application refreshes (TestAppFilesHaveChanged_EmptyChangedFilesAssumesRefresh)', () => {
    expect(refreshedByWebhook(app('.', 'app/testargo1'), [])).toBe(true);
  });

  it('GIVEN no annotation, or one with only separators and spaces THEN the Application always refreshes or follows its source path', () => {
    expect(refreshedByWebhook(app(undefined, 'source/path'), ['elsewhere/file'])).toBe(true);
    expect(refreshedByWebhook(app('', 'source/path'), ['elsewhere/file'])).toBe(true);
    expect(refreshedByWebhook(app(' ; ; . ; ', 'source/path'), ['elsewhere/file'])).toBe(false);
    expect(refreshedByWebhook(app('.;;', 'source/path'), ['source/path/x.yaml'])).toBe(true);
  });

  it('GIVEN relative and absolute paths, with spaces around separators THEN each is read from the source path or the repository root', () => {
    const a = app(' /fullpath/deploy ; other/path ', 'source/path');
    expect(refreshedByWebhook(a, ['fullpath/deploy/x.yaml'])).toBe(true);
    expect(refreshedByWebhook(a, ['source/path/other/path/y.yaml'])).toBe(true);
    expect(refreshedByWebhook(a, ['source/path/z.yaml'])).toBe(false);
    expect(refreshedByWebhook(app('.; dev/deploy', 'source/path'), ['source/path/dev/deploy'])).toBe(true);
  });

  it('GIVEN "." at the repository root THEN every change refreshes it', () => {
    expect(refreshedByWebhook(app('.', ''), ['anything/at/all'])).toBe(true);
  });

  it('GIVEN a glob path THEN it is refused, not read differently from Argo CD', () => {
    expect(() => refreshedByWebhook(app('charts/*', 'x'), ['x/charts/a'])).toThrow(/glob/);
  });
});
