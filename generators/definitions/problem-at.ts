/** A Problem about one field of a loaded definition, with its source line where the source keeps one (YAML/JSON). */
import type { LoadedFile } from './load.ts';
import { joinPath, type Problem } from '../util/problem.ts';

export function problemAt(loaded: LoadedFile, segments: readonly (string | number)[], message: string): Problem {
  const line = loaded.lineOf(segments);
  return { file: loaded.file, path: joinPath(segments), message, ...(line === undefined ? {} : { line }) };
}
