import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUserConfig, userConfigPath } from '../../generators/lifecycle/user-config.ts';
import { DefinitionError } from '../../generators/util/problem.ts';
import { tempRoot } from '../helpers/fixtures.ts';

/** A config file with `text` in a fresh folder; its path. */
function configWith(text: string): string {
  const dir = join(tempRoot(), 'devfleet');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), text);
  return join(dir, 'config.yaml');
}

const problemsOf = (file: string) => {
  try {
    readUserConfig(file);
  } catch (error) {
    if (error instanceof DefinitionError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
};

describe('userConfigPath', () => {
  it('GIVEN XDG_CONFIG_HOME WHEN the path is asked THEN it is $XDG_CONFIG_HOME/devfleet/config.yaml', () => {
    expect(userConfigPath({ XDG_CONFIG_HOME: '/x/conf' })).toBe('/x/conf/devfleet/config.yaml');
  });
  it('GIVEN XDG_CONFIG_HOME unset, empty or relative WHEN the path is asked THEN it is ~/.config/devfleet/config.yaml, as the XDG spec says', () => {
    for (const env of [{}, { XDG_CONFIG_HOME: '' }, { XDG_CONFIG_HOME: 'conf' }]) expect(userConfigPath(env)).toBe(join(homedir(), '.config', 'devfleet', 'config.yaml'));
  });
});

describe('readUserConfig', () => {
  it('GIVEN no file WHEN read THEN nothing is configured', () => {
    expect(readUserConfig(join(tempRoot(), 'devfleet', 'config.yaml'))).toEqual({});
  });
  it('GIVEN "developer: alice" (or an empty file) WHEN read THEN that developer (or none)', () => {
    expect(readUserConfig(configWith('developer: alice\n'))).toEqual({ developer: 'alice' });
    expect(readUserConfig(configWith(''))).toEqual({});
  });
  it('GIVEN a misspelt field WHEN read THEN a problem names the field and suggests the right one', () => {
    expect(problemsOf(configWith('developr: alice\n'))).toEqual(['developr: unknown field "developr"; did you mean "developer"? allowed fields here: developer']);
  });
  it('GIVEN a developer that is no developer name, a list, or broken YAML WHEN read THEN each is a problem of the file, not ignored', () => {
    expect(problemsOf(configWith('developer: Alice Smith\n'))[0]).toMatch(/^developer: "Alice Smith" is not a developer name: use lower-case letters/);
    expect(problemsOf(configWith('- alice\n'))).toEqual(['(file): must be a map such as "developer: alice", got ["alice"]']);
    expect(problemsOf(configWith('developer: [\n'))[0]).toMatch(/^\(file\): is not valid YAML: /);
  });
});
