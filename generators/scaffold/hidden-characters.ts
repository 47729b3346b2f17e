/**
 * Characters that are invisible or reorder the text around them: control characters, format
 * characters (zero-width spaces and joiners, bidirectional overrides such as U+202E) and line or
 * paragraph separators. In a definition they would make a reviewer read something other than what
 * the file says ("Trojan Source", CVE-2021-42574), so input containing them is refused.
 * Ref https://trojansource.codes/
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The first hidden character of `text` as `U+XXXX`, or undefined when there is none. */
export function findHiddenCharacter(text: string): string | undefined {
  const match = HIDDEN.exec(text);
  if (!match) return undefined;
  return `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
