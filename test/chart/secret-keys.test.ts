/** Which keys of a Secret the containers read (generators/chart/secret-keys.ts). */
import { describe, expect, it } from 'vitest';
import { secretKeys } from '../../generators/chart/secret-keys.ts';
import { projectModel } from '../../generators/plan/model.ts';

describe('secretKeys', () => {
  it('GIVEN two containers reading keys of two Secrets, one key twice WHEN asked per Secret THEN each Secret\'s keys, sorted, once', () => {
    const project = projectModel('projects/p.yaml', {
      name: 'p',
      containers: [
        { name: 'a', image: 'x:1', env: { B: { secret: 's', key: 'b' }, A: { secret: 's', key: 'a' }, T: { secret: 't', key: 'x' } } },
        { name: 'b', image: 'x:1', env: { A2: { secret: 's', key: 'a' }, PLAIN: 'v' } },
      ],
    });
    expect([secretKeys(project, 's'), secretKeys(project, 't'), secretKeys(project, 'none')]).toEqual([['a', 'b'], ['x'], []]);
  });
});
