/**
 * Compose's variable interpolation of one string value, as the Compose Specification defines it:
 * `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset),
 * `${VAR:?error}` / `${VAR?error}` (refuse), `${VAR:+other}` / `${VAR+other}`, `$$` for a literal
 * `$`; a default may itself hold interpolations. An unset variable without a default becomes the
 * empty string, and is reported so the import can warn (Compose warns the same way).
 * Ref https://github.com/compose-spec/compose-spec/blob/main/12-interpolation.md
 */

export interface Interpolated {
  readonly value: string;
  /** Variables read while unset and without a default, in order of appearance. */
  readonly unset: readonly string[];
}

/** A `${VAR:?message}` whose variable is unset (or empty), or a malformed `${...}`. */
export class InterpolationError extends Error {
  override name = 'InterpolationError';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, variables: ReadonlyMap<string, string>): Interpolated {
  const unset: string[] = [];
  const value = expand(text, variables, unset);
  return { value, unset };
}

function expand(text: string, variables: ReadonlyMap<string, string>, unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(text, dollar + 2);
      if (close < 0) throw new InterpolationError(`"${text}" has a "\${" without its closing "}"; close it, or write "$$" for a literal "$"`);
      out += braced(text.slice(dollar + 2, close), variables, unset);
      i = close + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name === undefined) {
        // A lone `$` (e.g. at the end, or before a space) stays as it is, as Compose keeps it.
        out += '$';
        i = dollar + 1;
      } else {
        out += lookup(name, variables, unset);
        i = dollar + 1 + name.length;
      }
    }
  }
  return out;
}

/** The index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}`. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function braced(body: string, variables: ReadonlyMap<string, string>, unset: string[]): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw new InterpolationError(`"\${${body}}" does not start with a variable name; write \${NAME}, \${NAME:-default} or "$$" for a literal "$"`);
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, variables, unset);
  const operator = /^(:?[-?+])/.exec(rest)?.[1];
  if (operator === undefined) throw new InterpolationError(`"\${${body}}" is not an interpolation Compose knows; use \${${name}}, \${${name}:-default}, \${${name}-default}, \${${name}:?error} or \${${name}:+other}`);
  const argument = rest.slice(operator.length);
  const value = variables.get(name);
  const set = operator.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
  switch (operator.at(-1)) {
    case '-':
      return set ? value! : expand(argument, variables, unset);
    case '+':
      return set ? expand(argument, variables, unset) : '';
    default: {
      if (set) return value!;
      const message = expand(argument, variables, unset);
      throw new InterpolationError(`variable ${name} is required${message ? `: ${message}` : ''}; set it in the .env file next to the compose file`);
    }
  }
}

function lookup(name: string, variables: ReadonlyMap<string, string>, unset: string[]): string {
  const value = variables.get(name);
  if (value !== undefined) return value;
  if (!unset.includes(name)) unset.push(name);
  return '';
}
