/**
 * Integer values in templates (generators/chart/helm-text.ts integerValue): the one form written
 * unquoted. The literal and marker rules of the rest of helm-text are held to the real Helm in
 * test/chart/helm-text.test.ts; test/render/render-env.helm.test.ts renders every env, the
 * ScaledObjects that use integers among them, with the real Helm.
 */
import { describe, expect, it } from 'vitest';
import { integerValue, release, renderTemplate, templateYaml, values } from '../../generators/chart/helm-text.ts';

const rel = { name: 'web', namespace: 'dev-alice' };

describe('integerValue', () => {
  it('GIVEN an object with an integer value and a string value WHEN written THEN the integer action is the whole unquoted field and the string one stays quoted', () => {
    const text = templateYaml({ spec: { cooldownPeriod: integerValue('scaling', 'idleSeconds'), name: values('developer') } }, '# h\n');
    expect(text).toBe('# h\nspec:\n  cooldownPeriod: {{ .Values.scaling.idleSeconds }}\n  name: "{{ .Values.developer }}"\n');
    expect(renderTemplate(text, { scaling: { idleSeconds: 3600 }, developer: 'alice' }, rel)).toBe('# h\nspec:\n  cooldownPeriod: 3600\n  name: "alice"\n');
  });

  it('GIVEN an integer value inside a text WHEN written THEN it is refused (it must be a whole field)', () => {
    expect(() => templateYaml({ name: `${release('Name')}-${integerValue('scaling', 'minReplicas')}` }, '')).toThrow('internal: an integer value must be the whole field, not part of a text');
  });

  it('GIVEN user text that imitates the integer wrapper with private-use characters WHEN written THEN it stays text, quoted, and no action appears', () => {
    const fake = '\uE002.Values.scaling.idleSeconds\uE003';
    const text = templateYaml({ a: fake }, '');
    expect(text).not.toContain('{{');
    expect(text).toContain(fake);
  });

  it('GIVEN a number Helm would print in exponent notation, or a fraction WHEN rendered THEN devfleet refuses it rather than guess', () => {
    const text = 'a: {{ .Values.n }}\n';
    expect(renderTemplate(text, { n: 999_999 }, rel)).toBe('a: 999999\n');
    expect(() => renderTemplate(text, { n: 1_000_000 }, rel)).toThrow('values: .Values.n is 1000000; devfleet writes integers below 1,000,000 only');
    expect(() => renderTemplate(text, { n: 1.5 }, rel)).toThrow(/is 1\.5/);
  });
});
