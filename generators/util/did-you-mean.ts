/**
 * "Did you mean" for a mistyped name (a field, a port, a container, a developer): the nearest
 * candidate by edit distance (fastest-levenshtein), offered only when it is close enough to be a
 * typo of it: at most 2 edits, or a third of the candidate's length for longer names, ignoring case.
 */
import { closest, distance } from 'fastest-levenshtein';

/** The candidate the word is probably a typo of, if any. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const guess = closest(word, [...candidates]);
  return distance(word.toLowerCase(), guess.toLowerCase()) <= Math.max(2, Math.floor(guess.length / 3)) ? guess : undefined;
}

/** `did you mean "http"? ` to put in front of a message's fix, or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = nearest(word, candidates);
  return guess === undefined ? '' : `did you mean "${guess}"? `;
}
