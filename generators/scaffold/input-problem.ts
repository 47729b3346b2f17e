/** A problem with what the user typed (a flag, a prompt answer, an issue-form field), before any file exists. */
export interface InputProblem {
  /** Where the input came from, in the user's words: `--container #2`, `Containers, line 3`. */
  readonly where: string;
  /** What is wrong and what to do. */
  readonly message: string;
}

/** A value as it appears in a message: JSON, cut to a readable length, so hostile or huge input is never echoed whole. */
export function quote(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
