import { describe, expect, it } from 'vitest';
import { didYouMean, nearest } from '../../generators/util/did-you-mean.ts';

describe('nearest', () => {
  it.each([
    ['htp', ['http', 'api'], 'http'],
    ['alcie', ['alice', 'bob'], 'alice'],
    ['HTTP', ['http', 'api'], 'http'],
    ['containres', ['name', 'containers', 'routes'], 'containers'],
  ])('GIVEN the typo %s among %j WHEN asked THEN it is %s', (word, candidates, guess) => {
    expect(nearest(word, candidates)).toBe(guess);
  });

  it.each([
    ['metrics', ['http', 'api']],
    ['zed', ['alice', 'bob']],
    ['http', []],
  ])('GIVEN %s, far from every one of %j WHEN asked THEN there is no guess', (word, candidates) => {
    expect(nearest(word, candidates)).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('GIVEN a typo and a far word WHEN phrased THEN the typo gets the question in front of the fix, the far word nothing', () => {
    expect(didYouMean('htp', ['http', 'api'])).toBe('did you mean "http"? ');
    expect(didYouMean('metrics', ['http', 'api'])).toBe('');
  });
});
