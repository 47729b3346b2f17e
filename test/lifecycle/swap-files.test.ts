/**
 * generators/lifecycle/swap-files.ts: where `devfleet swap` puts the container's environment on
 * the laptop (never in the repository), with which permissions, and what it says about it.
 */
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutsideRepository, prepareSwapFiles, secretVariables, swapNotice, swapStateDir } from '../../generators/lifecycle/swap-files.ts';
import { projectModel } from '../../generators/plan/model.ts';
import { tempRoot } from '../helpers/fixtures.ts';

const mode = (path: string) => statSync(path).mode & 0o777;
const container = projectModel('projects/app.yaml', {
  name: 'app',
  containers: [{ name: 'api', image: 'golang:1.23', env: { APP_ENV: 'dev', DB_PASSWORD: { secret: 'app-db', key: 'password' }, TOKEN: { secret: 'app-api', key: 'token' } } }],
  secrets: { 'app-db': { generate: 'password' } },
}).containers[0]!;

describe('the swap state directory', () => {
  it('GIVEN an absolute XDG_STATE_HOME, a relative one, or none WHEN resolved THEN it is <XDG_STATE_HOME>/devfleet/swap, else ~/.local/state/devfleet/swap', () => {
    expect(swapStateDir({ XDG_STATE_HOME: '/var/state/ann' }, '/home/ann')).toBe('/var/state/ann/devfleet/swap');
    expect(swapStateDir({ XDG_STATE_HOME: 'state' }, '/home/ann')).toBe('/home/ann/.local/state/devfleet/swap');
    expect(swapStateDir({}, '/home/ann')).toBe('/home/ann/.local/state/devfleet/swap');
  });

  it('GIVEN a state directory inside the repository, directly or through a symlink WHEN checked THEN it is refused with what to do; one outside passes', () => {
    const base = tempRoot();
    const repo = join(base, 'repo');
    mkdirSync(repo);
    symlinkSync(repo, join(base, 'link'));
    expect(() => checkOutsideRepository(join(repo, '.devfleet', 'devfleet', 'swap'), repo)).toThrow(`is inside the repository ${repo}; swap writes the container's environment, secrets included, there: point XDG_STATE_HOME outside the repository`);
    expect(() => checkOutsideRepository(join(base, 'link', 'state', 'devfleet', 'swap'), repo)).toThrow('is inside the repository');
    expect(() => checkOutsideRepository(join(base, 'state', 'devfleet', 'swap'), repo)).not.toThrow();
    expect(() => checkOutsideRepository(join(base, 'repo-state'), repo)).not.toThrow();
  });

  it('GIVEN an existing, world-readable state directory and a stale env file WHEN prepared THEN the directory is 0700 and the env file empty and 0600', () => {
    const dir = join(tempRoot(), 'devfleet', 'swap');
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const file = join(dir, 'app--ann.api.env');
    writeFileSync(file, 'OLD=secret\n', { mode: 0o644 });
    prepareSwapFiles(dir, file);
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(statSync(file).size).toBe(0);
  });
});

describe('what swap says', () => {
  it('GIVEN a container reading two Secrets WHEN the notice is written for Telepresence and for mirrord THEN it names the Secret-backed variables and where the values go', () => {
    expect(secretVariables(container)).toEqual(['DB_PASSWORD (Secret app-db, key password)', 'TOKEN (Secret app-api, key token)']);
    expect(swapNotice(container, '/home/ann/.local/state/devfleet/swap/app--ann.api.env')).toBe(
      'swap copies the environment of container "api", secret values included (DB_PASSWORD (Secret app-db, key password), TOKEN (Secret app-api, key token)), to this laptop: into /home/ann/.local/state/devfleet/swap/app--ann.api.env (readable only by you, outside the repository; deleted when the command ends) and into the local process. Do not paste it, log it or commit it.',
    );
    expect(swapNotice({ ...container, env: [] }, undefined)).toBe('swap copies the environment of container "api", secret values included, to this laptop: into the local process. Do not paste it, log it or commit it.');
  });
});
