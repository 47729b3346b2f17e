/**
 * An env file as Compose reads it (`.env` next to the compose file, and each service's
 * `env_file`): `KEY=value` lines, an optional `export ` in front, `#` comments, single quotes
 * (literal), double quotes (with \n, \t, \", \\ escapes) or unquoted values (a ` #` starts a
 * comment). A line with a name and no `=` takes the value from the shell in Compose; the importer
 * never reads the shell (the definition it writes is committed), so such names are returned apart.
 * Ref https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax
 */

export interface EnvFile {
  readonly values: ReadonlyMap<string, string>;
  /** Names whose value was single-quoted: literal, never interpolated (Compose interpolates the others' `${VAR}`). */
  readonly literal: ReadonlySet<string>;
  /** Names listed without a value (Compose would take them from the shell). */
  readonly fromShell: readonly string[];
  /** 1-based lines that are neither assignments, comments nor blank. */
  readonly badLines: readonly number[];
}

export function parseEnvFile(text: string): EnvFile {
  const values = new Map<string, string>();
  const literal = new Set<string>();
  const fromShell: string[] = [];
  const badLines: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_.][-A-Za-z0-9_.]*)\s*(?:=\s*(.*))?$/s.exec(line);
    if (!match) {
      badLines.push(n + 1);
      continue;
    }
    const [, name, raw] = match;
    if (raw === undefined) {
      fromShell.push(name!);
      continue;
    }
    const value = unquote(raw);
    if (value === undefined) badLines.push(n + 1);
    else {
      values.set(name!, value);
      if (raw.startsWith("'")) literal.add(name!);
      else literal.delete(name!);
    }
  }
  return { values, literal, fromShell, badLines };
}

function unquote(raw: string): string | undefined {
  if (raw.startsWith("'")) {
    const end = raw.indexOf("'", 1);
    return end < 0 ? undefined : raw.slice(1, end);
  }
  if (raw.startsWith('"')) {
    let out = '';
    for (let i = 1; i < raw.length; i++) {
      const c = raw[i]!;
      if (c === '"') return out;
      if (c === '\\' && i + 1 < raw.length) {
        const e = raw[++i]!;
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      } else out += c;
    }
    return undefined;
  }
  return raw.replace(/\s+#.*$/, '').trim();
}
