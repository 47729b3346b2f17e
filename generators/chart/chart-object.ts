/** One object of a project's chart and the template file it is written to. */
export interface ChartObject {
  /** Template file name under templates/, e.g. `deployment.yaml`. */
  readonly file: string;
  /** The object as JSON data, with substitution markers (see helm-text.ts). */
  readonly object: Record<string, unknown>;
}
