/** generators/util/problem.ts: the one problem format, its order, field paths and shown values. */
import { describe, expect, it } from 'vitest';
import { compare, DefinitionError, formatProblem, joinPath, show, sortProblems, WHOLE_FILE, type Problem } from '../../generators/util/problem.ts';

describe('formatProblem', () => {
  it('GIVEN a problem with and without a line WHEN formatted THEN it is `<file>: <field path>: <message>`, the line after it', () => {
    expect(formatProblem({ file: 'projects/shop.ts', path: 'containers[1].ports[0].port', message: '70000 is above 65535; use a port from 1 to 65535' })).toBe(
      'projects/shop.ts: containers[1].ports[0].port: 70000 is above 65535; use a port from 1 to 65535',
    );
    expect(formatProblem({ file: 'projects/docs.yaml', path: 'routes[0].port', message: 'no port named "htp"', line: 12 })).toBe('projects/docs.yaml: routes[0].port: no port named "htp" (line 12)');
    expect(formatProblem({ file: 'projects/x.ts', path: WHOLE_FILE, message: 'does not parse' })).toBe('projects/x.ts: (file): does not parse');
  });
});

describe('sortProblems and DefinitionError', () => {
  const problems: Problem[] = [
    { file: 'projects/b.yaml', path: 'name', message: 'z' },
    { file: 'projects/a.yaml', path: 'routes', message: 'm', line: 9 },
    { file: 'projects/a.yaml', path: 'containers', message: 'm', line: 3 },
    { file: 'projects/a.yaml', path: 'containers', message: 'a', line: 3 },
    { file: 'clusters/dev.ts', path: 'domain', message: 'x' },
  ];

  it('GIVEN problems in any order WHEN sorted THEN by file, then line, then path and message, without changing the input', () => {
    const copy = [...problems];
    expect(sortProblems(problems).map((p) => `${p.file}:${p.line ?? '-'}:${p.path}:${p.message}`)).toEqual([
      'clusters/dev.ts:-:domain:x',
      'projects/a.yaml:3:containers:a',
      'projects/a.yaml:3:containers:m',
      'projects/a.yaml:9:routes:m',
      'projects/b.yaml:-:name:z',
    ]);
    expect(problems).toEqual(copy);
  });

  it('GIVEN several problems WHEN thrown as a DefinitionError THEN it carries all of them, sorted, and its message is one formatted line each', () => {
    const error = new DefinitionError(problems);
    expect(error.name).toBe('DefinitionError');
    expect(error.problems).toEqual(sortProblems(problems));
    expect(error.message.split('\n')).toEqual(sortProblems(problems).map(formatProblem));
  });
});

describe('joinPath', () => {
  it('GIVEN path segments WHEN joined THEN names are dotted, indexes bracketed, other keys quoted, and nothing is the root', () => {
    expect(joinPath(['containers', 1, 'ports', 0, 'port'])).toBe('containers[1].ports[0].port');
    expect(joinPath(['containers', 0, 'env', 'APP_ENV'])).toBe('containers[0].env.APP_ENV');
    expect(joinPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(joinPath([0, 'name'])).toBe('[0].name');
    expect(joinPath([])).toBe('(root)');
  });
});

describe('compare', () => {
  it('GIVEN strings WHEN compared THEN by code point, whatever the locale (upper case before lower, ä after z)', () => {
    expect(['b', 'ä', 'Z', 'a'].sort(compare)).toEqual(['Z', 'a', 'b', 'ä']);
    expect(compare('x', 'x')).toBe(0);
  });
});

describe('show', () => {
  it('GIVEN values WHEN shown in a message THEN as JSON, long ones cut with a visible end', () => {
    expect(show('nginx')).toBe('"nginx"');
    expect(show(80)).toBe('80');
    expect(show(undefined)).toBe('undefined');
    expect(show({ a: 1 })).toBe('{"a":1}');
    const long = 'x'.repeat(70);
    expect(show(long)).toBe(`"${'x'.repeat(50)}..."`);
    expect(show(Array.from({ length: 30 }, (_, i) => i))).toBe(`${JSON.stringify(Array.from({ length: 30 }, (_, i) => i)).slice(0, 57)}...`);
    // Cut by code point: an emoji is never split into half a surrogate pair.
    expect(show('😀'.repeat(60))).toBe(`"${'😀'.repeat(50)}..."`);
  });
});
