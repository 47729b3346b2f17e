import { describe, expect, it } from 'vitest';
import { codePointName, escapePrivateUse, findPrivateUse } from '../../generators/definitions/check-private-use.ts';
import { C, CLUSTER, expectRefused, expectValid, S, SHOP, W, WEB, type BadInputCase } from '../helpers/bad-input.ts';

describe('findPrivateUse', () => {
  it.each([
    ['\u{E000}', 'U+E000'],
    ['\u{E001}', 'U+E001'],
    ['\u{F8FF}', 'U+F8FF'],
    ['\u{F0000}', 'U+F0000'],
    ['\u{FFFFD}', 'U+FFFFD'],
    ['\u{100000}', 'U+100000'],
    ['\u{10FFFD}', 'U+10FFFD'],
  ])('GIVEN the private-use character %j WHEN searched THEN it is found as %s', (char, name) => {
    const found = findPrivateUse(`ab${char}`);
    expect(found).toEqual({ char, position: 3, count: 1 });
    expect(codePointName(found!.char)).toBe(name);
  });

  it.each([
    ['U+DFFF..U+E000 neighbour U+D7FF', '\u{D7FF}'],
    ['U+F900 (CJK compatibility, just above the area)', '\u{F900}'],
    ['U+EFFFF (just below plane 15)', '\u{EFFFF}'],
    ['U+FFFFE (a noncharacter, not private use)', '\u{FFFFE}'],
    ['U+10FFFF (a noncharacter, not private use)', '\u{10FFFF}'],
    ['ordinary text with emoji', 'caf\u00e9 \u{1F600} {{ .Values.x }}'],
  ])('GIVEN %s WHEN searched THEN nothing is found', (_, text) => {
    expect(findPrivateUse(text)).toBeUndefined();
  });

  it('GIVEN a supplementary character before the marker WHEN searched THEN the position counts characters, not UTF-16 units', () => {
    expect(findPrivateUse('\u{1F600}x\u{E000}y\u{E001}')).toEqual({ char: '\u{E000}', position: 3, count: 2 });
  });

  it('GIVEN a path holding markers WHEN escaped THEN each is written as a \\u escape', () => {
    expect(escapePrivateUse('env["A\u{E000}"].x\u{F0000}')).toBe('env["A\\uE000"].x\\u{F0000}');
  });
});

const cases: BadInputCase[] = [
  {
    given: 'the Helm marker U+E000 in an env value (YAML)',
    defect: (d) => (W(d).containers[1].env.APP_ENV = 'dev\u{E000}.Values.x\u{E001}'),
    file: WEB,
    path: 'containers[1].env.APP_ENV',
    says: ['the value contains the private-use character U+E000 at position 4 (and 1 more)', 'reserves private-use characters', 'remove it'],
    lineOf: 'APP_ENV:',
  },
  {
    given: 'U+E001 in a project description (TypeScript)',
    defect: (d) => (S(d).description = 'A shop \u{E001}'),
    file: SHOP,
    path: 'description',
    says: ['the value contains the private-use character U+E001 at position 8;', 'remove it'],
  },
  {
    given: 'U+F8FF in an env variable name (an object key)',
    defect: (d) => (W(d).containers[1].env['A\u{F8FF}'] = 'x'),
    file: WEB,
    path: 'containers[1].env["A\\uF8FF"]',
    says: ['the name contains the private-use character U+F8FF at position 2', 'remove it'],
  },
  {
    given: 'a supplementary private-use character U+F0000 in a command argument',
    defect: (d) => (W(d).containers[1].command = ['serve', '--tag=\u{F0000}']),
    file: WEB,
    path: 'containers[1].command[1]',
    says: ['contains the private-use character U+F0000 at position 7', 'remove it'],
  },
  {
    given: 'U+10FFFD in a cluster developer name (the schema problem about the same field is not repeated)',
    defect: (d) => (C(d).developers[2].name = 'carol\u{10FFFD}'),
    file: CLUSTER,
    path: 'developers[2].name',
    says: ['the value contains the private-use character U+10FFFD at position 6', 'remove it'],
  },
];

describe('private-use characters in definitions', () => {
  it('GIVEN the baseline with an ordinary Go template in an env value WHEN validated THEN it is valid (control)', async () => {
    await expectValid((d) => (W(d).containers[1].env.APP_ENV = '{{ .Values.x }} caf\u00e9 \u{F900}'));
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    await expectRefused(c);
  });
});
