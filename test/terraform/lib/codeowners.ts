/**
 * Who owns a path according to a CODEOWNERS text, for the paths patterns devfleet uses.
 *
 * GitHub's rules: one pattern and its owners per line, `#` comments, the LAST matching line
 * wins; patterns follow gitignore syntax without `!` negation or `[]` ranges: a leading `/`
 * anchors to the repository root (otherwise the pattern matches at any depth), a trailing `/`
 * matches a directory and everything under it, `*` matches within one path segment, `**` across
 * segments. Unlike .gitignore, a later line can still claim files inside a directory an earlier
 * line matched, which is why `git check-ignore` cannot answer this.
 * Ref https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#codeowners-syntax
 */
export interface OwnerRule {
  readonly line: number;
  readonly pattern: string;
  readonly owners: readonly string[];
  readonly regex: RegExp;
}

function toRegex(pattern: string): RegExp {
  const anchored = pattern.startsWith('/') || pattern.slice(0, -1).includes('/');
  const directory = pattern.endsWith('/');
  const body = pattern.replace(/^\//, '').replace(/\/$/, '');
  let source = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '*' && body[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern names a file, or a directory and everything under it; `dir/` only the latter.
  const tail = directory ? '/.+' : '(/.+)?';
  return new RegExp(`^${anchored ? '' : '(.*/)?'}${source}${tail}$`);
}

/** The rules of a CODEOWNERS text, in file order. */
export function parseCodeowners(text: string): OwnerRule[] {
  return text.split('\n').flatMap((raw, index) => {
    const line = raw.replace(/\s#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) return [];
    const [pattern, ...owners] = line.split(/\s+/);
    const regex = pattern === '*' ? /^.+$/ : toRegex(pattern!);
    return [{ line: index + 1, pattern: pattern!, owners, regex }];
  });
}

/** The owners of a repository-relative path (forward slashes): the last matching rule's, or []. */
export function ownersOf(rules: readonly OwnerRule[], path: string): readonly string[] {
  let owners: readonly string[] = [];
  for (const rule of rules) if (rule.regex.test(path)) owners = rule.owners;
  return owners;
}
