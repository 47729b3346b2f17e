import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gitUser, resolveDeveloper } from '../../generators/lifecycle/whoami.ts';
import { clusterModel } from '../../generators/plan/model.ts';
import { tempRoot } from '../helpers/fixtures.ts';

const cluster = clusterModel('clusters/dev.yaml', {
  name: 'dev', domain: 'dev.example.com', timeZone: 'UTC', argocd: { repoURL: 'https://git.example.com/x.git' },
  developers: [{ name: 'alice', email: 'Alice@Example.com' }, { name: 'bob-smith' }],
});

describe('resolveDeveloper', () => {
  it('GIVEN --developer WHEN it names a developer THEN it wins over git', () => {
    expect(resolveDeveloper(cluster, 'bob-smith', { email: 'alice@example.com', name: undefined })).toBe('bob-smith');
  });
  it('GIVEN a git e-mail WHEN it matches a developer (case-insensitively) THEN that developer', () => {
    expect(resolveDeveloper(cluster, undefined, { email: 'alice@example.COM', name: 'Someone' })).toBe('alice');
  });
  it('GIVEN a git name WHEN it matches a developer name THEN that developer', () => {
    expect(resolveDeveloper(cluster, undefined, { email: 'x@y.z', name: 'Bob Smith' })).toBe('bob-smith');
  });
  it('GIVEN nothing that matches WHEN resolved THEN the error says to pass --developer or set DEVFLEET_DEVELOPER', () => {
    expect(() => resolveDeveloper(cluster, undefined, { email: 'eve@example.com', name: undefined })).toThrow(/git user "eve@example.com" matches no developer of clusters\/dev.yaml; pass --developer NAME, set DEVFLEET_DEVELOPER=NAME or "developer: NAME" in .*config\.yaml once/);
  });
  it('GIVEN DEVFLEET_DEVELOPER WHEN --developer is absent THEN it wins over git, and --developer over it', () => {
    expect(resolveDeveloper(cluster, undefined, { email: 'alice@example.com', name: undefined }, 'bob-smith')).toBe('bob-smith');
    expect(resolveDeveloper(cluster, 'alice', { email: undefined, name: undefined }, 'bob-smith')).toBe('alice');
  });
  it('GIVEN DEVFLEET_DEVELOPER naming nobody WHEN resolved THEN the error names the variable and the developers', () => {
    expect(() => resolveDeveloper(cluster, undefined, { email: 'alice@example.com', name: undefined }, 'bobsmith')).toThrow('DEVFLEET_DEVELOPER="bobsmith" is not a developer of cluster dev (clusters/dev.yaml); developers: alice, bob-smith; fix the variable or pass --developer NAME');
  });
  it('GIVEN the config file\'s developer WHEN neither --developer nor DEVFLEET_DEVELOPER is given THEN it wins over git, and both of those over it', () => {
    const config = { developer: 'bob-smith', file: '/home/me/.config/devfleet/config.yaml' };
    expect(resolveDeveloper(cluster, undefined, { email: 'alice@example.com', name: undefined }, undefined, config)).toBe('bob-smith');
    expect(resolveDeveloper(cluster, undefined, { email: undefined, name: undefined }, 'alice', config)).toBe('alice');
    expect(resolveDeveloper(cluster, 'alice', { email: undefined, name: undefined }, undefined, config)).toBe('alice');
  });
  it('GIVEN the config file naming nobody WHEN resolved THEN the error names the file and the developers', () => {
    expect(() => resolveDeveloper(cluster, undefined, { email: 'alice@example.com', name: undefined }, undefined, { developer: 'bobsmith', file: '/c/devfleet/config.yaml' })).toThrow('/c/devfleet/config.yaml: developer: "bobsmith" is not a developer of cluster dev (clusters/dev.yaml); developers: alice, bob-smith; fix the file or pass --developer NAME');
  });
  it('GIVEN a real git repository WHEN its user is read THEN the local config is used', () => {
    const dir = tempRoot();
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['-C', dir, 'config', 'user.email', 'alice@example.com']);
    expect(gitUser(dir).email).toBe('alice@example.com');
    expect(resolveDeveloper(cluster, undefined, gitUser(dir))).toBe('alice');
  });
});
