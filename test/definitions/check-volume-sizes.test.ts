import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { applyFiles, defective, expectRefused, S, SHOP, synthesizedBaseline, W, WEB, type BadInputCase, type Defs } from '../helpers/bad-input.ts';

const CHART_PVC = 'clusters/dev/charts/web/templates/';

const cases: (BadInputCase & { start?: (d: Defs) => void })[] = [
  {
    given: 'a persistent volume made smaller than its committed PVC (2Gi -> 1Gi)',
    defect: (d) => (W(d).containers[1].volumes[0].size = '1Gi'),
    file: WEB,
    path: 'containers[1].volumes[0].size',
    says: ['"1Gi" is smaller than the 2Gi its PVC was created with (' + CHART_PVC, 'Kubernetes never shrinks a PVC', 'Keep size "2Gi": on EFS the size is only a request', 'give it a new `name`'],
    lineOf: 'size: 1Gi',
  },
  {
    given: 'a persistent volume made larger than its committed PVC (2Gi -> 3Gi)',
    defect: (d) => (W(d).containers[1].volumes[0].size = '3Gi'),
    file: WEB,
    path: 'containers[1].volumes[0].size',
    says: ['"3Gi" is larger than the 2Gi its PVC was created with', 'StorageClass "efs" does not allow volume expansion', 'Keep size "2Gi"'],
  },
  {
    given: 'the size of a persistent volume removed, so the 1Gi default applies',
    defect: (d) => delete W(d).containers[1].volumes[0].size,
    file: WEB,
    path: 'containers[1].volumes[0].persistent',
    says: ['The default size 1Gi is smaller than the 2Gi its PVC was created with'],
  },
  {
    given: 'a persistent volume of a TypeScript project made smaller (5Gi -> 4.5Gi)',
    start: (d) => (S(d).containers[0].volumes = [{ path: '/var/lib/shop', persistent: true, size: '5Gi' }]),
    defect: (d) => (S(d).containers[0].volumes[0].size = '4.5Gi'),
    file: SHOP,
    path: 'containers[0].volumes[0].size',
    says: ['"4.5Gi" is smaller than the 5Gi its PVC was created with (clusters/dev/charts/shop/templates/'],
  },
];

describe('persistent volume sizes against the committed tree', () => {
  it.each([
    ['the same size written differently (2Gi -> 2048Mi)', (d: Defs) => (W(d).containers[1].volumes[0].size = '2048Mi')],
    ['a renamed volume of another size (a new, empty PVC)', (d: Defs) => (W(d).containers[1].volumes[0] = { name: 'data2', path: '/data', persistent: true, size: '1Gi' })],
    ['a volume that was not persistent before', (d: Defs) => (W(d).containers[0].volumes[0] = { path: '/var/cache/nginx', persistent: true, size: '1Gi' })],
  ])('GIVEN %s WHEN validated over the generated tree THEN it is valid (control)', async (_, edit) => {
    const { root, files } = await synthesizedBaseline();
    applyFiles(root, files, defective({ defect: edit }));
    const result = await runCli('validate', '--root', root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    await expectRefused(c, c.start);
  });
});
