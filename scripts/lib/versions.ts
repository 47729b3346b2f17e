/**
 * The pinned tool versions of tools/versions.env, for TypeScript (the tests, scripts/*.ts): the
 * same file the build scripts source, so a version is typed once. Lines are `NAME=value`; `#`
 * starts a comment line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tools/versions.env, relative to the repository root. */
export const VERSIONS_FILE = 'tools/versions.env';

/** Parses the text of tools/versions.env: every `NAME=value` line, in order. */
export function parseVersions(text: string): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const pin = /^([A-Z][A-Z0-9_]*)=([^\s"'$`]+)$/.exec(line);
    if (!pin) throw new Error(`${VERSIONS_FILE}:${i + 1}: ${JSON.stringify(line)}; write NAME=value (no quotes, spaces or $)`);
    pins[pin[1]!] = pin[2]!;
  }
  return pins;
}

/** Every pin of tools/versions.env, by name. */
export const PINS: Readonly<Record<string, string>> = parseVersions(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', VERSIONS_FILE), 'utf8'));

/** The value of one pin of tools/versions.env, e.g. `version('HELM_VERSION')`. */
export function version(name: string): string {
  const value = PINS[name];
  if (value === undefined) throw new Error(`${VERSIONS_FILE}: ${name} is not pinned there; add a line ${name}=<version>`);
  return value;
}
