import { describe, expect, it } from 'vitest';
import type { LoadedFile } from '../../generators/definitions/load.ts';
import { problemAt } from '../../generators/definitions/problem-at.ts';

const loaded = (lineOf: LoadedFile['lineOf']): LoadedFile => ({ kind: 'project', file: 'projects/web.yaml', stem: 'web', value: {}, lineOf });

describe('problemAt', () => {
  it('GIVEN a source that knows the line of a field WHEN a problem is made THEN it names the file, the joined path and the line', () => {
    expect(problemAt(loaded((path) => (path.length === 3 ? 7 : undefined)), ['containers', 0, 'image'], 'is wrong; fix it')).toEqual({
      file: 'projects/web.yaml',
      path: 'containers[0].image',
      message: 'is wrong; fix it',
      line: 7,
    });
  });

  it('GIVEN a source without lines (TypeScript) WHEN a problem is made THEN it has no line', () => {
    expect(problemAt(loaded(() => undefined), ['name'], 'm')).toEqual({ file: 'projects/web.yaml', path: 'name', message: 'm' });
  });
});
