/** generators/scaffold/hidden-characters.ts: input that would read differently from what it says is found (Trojan Source). */
import { describe, expect, it } from 'vitest';
import { findHiddenCharacter } from '../../generators/scaffold/hidden-characters.ts';

describe('findHiddenCharacter', () => {
  it('GIVEN plain text, accents, CJK and emoji WHEN searched THEN nothing is hidden', () => {
    expect(findHiddenCharacter('Storefront: nginx + Go, café, 東京, 🚀 ok')).toBeUndefined();
  });

  it('GIVEN a bidirectional override, a zero-width space or joiner, a BOM, a control character or a line separator WHEN searched THEN the first is named as U+XXXX', () => {
    expect(findHiddenCharacter('admin\u202E')).toBe('U+202E');
    expect(findHiddenCharacter('a\u200Bb')).toBe('U+200B');
    expect(findHiddenCharacter('a\u200Db')).toBe('U+200D');
    expect(findHiddenCharacter('\uFEFFname')).toBe('U+FEFF');
    expect(findHiddenCharacter('a\u0007b\u202E')).toBe('U+0007');
    expect(findHiddenCharacter('line\u2028break')).toBe('U+2028');
    expect(findHiddenCharacter('a\nb')).toBe('U+000A');
  });
});
