import { describe, expect, it } from 'vitest';
import { DEVFLEET_SELECTOR, devfleetLabels, labelSelector, podSelectorLabels } from '../../generators/plan/labels.ts';

describe('labels and selectors', () => {
  it("GIVEN an env's project and release WHEN its Pods are selected THEN the selector names both recommended labels, project first", () => {
    expect(podSelectorLabels('my-app', 'my-app--alice')).toEqual({ 'app.kubernetes.io/name': 'my-app', 'app.kubernetes.io/instance': 'my-app--alice' });
    expect(labelSelector(podSelectorLabels('my-app', 'my-app--alice'))).toBe('app.kubernetes.io/name=my-app,app.kubernetes.io/instance=my-app--alice');
  });

  it('GIVEN every generated object WHEN labelled THEN part-of and managed-by say devfleet, and the fleet selector matches part-of', () => {
    expect(devfleetLabels()).toEqual({ 'app.kubernetes.io/part-of': 'devfleet', 'app.kubernetes.io/managed-by': 'devfleet' });
    expect(DEVFLEET_SELECTOR).toBe('app.kubernetes.io/part-of=devfleet');
  });

  it('GIVEN no labels WHEN made a selector THEN it is empty (it selects everything)', () => {
    expect(labelSelector({})).toBe('');
  });
});
