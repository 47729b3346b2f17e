/**
 * Who owns a path according to a CODEOWNERS text, with GitHub's matching rules.
 *
 * One pattern and its owners per line, `#` comments, and the LAST matching line wins. Patterns
 * follow gitignore syntax without `!` negation or `[]` ranges, and paths are case-sensitive:
 * - a leading `/`, or a `/` inside the pattern, anchors it to the repository root; a pattern of
 *   one segment matches at any depth (`apps/` owns every `apps` folder);
 * - a trailing `/` matches a folder and everything under it; a pattern whose last segment is a
 *   name or a glob (`/docs`, `*.ts`) matches that file or a folder of that name and everything
 *   under it;
 * - `*` and `?` match within one segment, and a last segment of exactly `*` matches the folder's
 *   direct children only (`docs/*` owns the files directly in docs/, not those in its subfolders);
 * - `**` matches any number of segments.
 * Unlike .gitignore, a later line can still claim files inside a folder an earlier line matched,
 * and `docs/*` does not own nested files, which is why neither `git check-ignore` nor a gitignore
 * library (`ignore`) answers this.
 * Ref https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners#codeowners-syntax
 * (its example file states each rule above); the same rules as github.com/hmarr/codeowners.
 */
export interface OwnerRule {
  readonly line: number;
  readonly pattern: string;
  readonly owners: readonly string[];
  readonly regex: RegExp;
}

const escape = (text: string) => text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');

/** One segment that is neither `*` nor `**`: `*` and `?` stay inside it, `\x` is a literal x. */
function segmentSource(segment: string): string {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '\\' && i + 1 < segment.length) source += escape(segment[++i]!);
    else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += escape(ch);
  }
  return source;
}

function toRegex(pattern: string): RegExp {
  let segments = pattern.split('/');
  if (segments[0] === '') segments = segments.slice(1);
  // One segment (with or without a trailing slash) and no leading slash: at any depth.
  else if ((segments.length === 1 || (segments.length === 2 && segments[1] === '')) && segments[0] !== '**') segments = ['**', ...segments];
  // A trailing slash: the folder's whole content.
  if (segments.length > 1 && segments.at(-1) === '') segments[segments.length - 1] = '**';
  const last = segments.length - 1;
  let source = '';
  // Whether the next segment needs a `/` before it (not at the start, nor after a leading `**/`).
  let slash = false;
  segments.forEach((segment, i) => {
    if (segment === '**') {
      if (i === 0) source += i === last ? '.+' : '(?:.+/)?';
      else source += i === last ? '/.+' : '(?:/.+)?';
      slash = i > 0;
      return;
    }
    source += (slash ? '/' : '') + (segment === '*' ? '[^/]+' : segmentSource(segment));
    // A name or glob at the end also matches a folder of that name and its content; a bare `*` does not.
    if (i === last && segment !== '*') source += '(?:/.+)?';
    slash = true;
  });
  return new RegExp(`^${source}$`);
}

/** The rules of a CODEOWNERS text, in file order. */
export function parseCodeowners(text: string): OwnerRule[] {
  return text.split('\n').flatMap((raw, index) => {
    const line = raw.replace(/\s#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) return [];
    const [pattern, ...owners] = line.split(/\s+/);
    return [{ line: index + 1, pattern: pattern!, owners, regex: toRegex(pattern!) }];
  });
}

/** The owners of a repository-relative path (forward slashes): the last matching rule's, or []. */
export function ownersOf(rules: readonly OwnerRule[], path: string): readonly string[] {
  let owners: readonly string[] = [];
  for (const rule of rules) if (rule.regex.test(path)) owners = rule.owners;
  return owners;
}
