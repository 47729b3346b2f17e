import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ANNOTATIONS_LIMIT, deploymentText, GENERATED_ALLOWANCE } from '../../generators/definitions/check-object-size.ts';
import { projectModel } from '../../generators/plan/model.ts';
import type { ProjectDefinition } from '../../generators/schema/project.ts';
import { runCli } from '../helpers/cli.ts';
import { tempRoot } from '../helpers/fixtures.ts';
import { baseline, defective, expectRefused, render, W, WEB, type BadInputCase } from '../helpers/bad-input.ts';

/** The largest project the schema allows, in every dimension that shapes the Deployment, with short values. */
function largestShape(): ProjectDefinition {
  const containers = Array.from({ length: 10 }, (_, c) => ({
    name: `container-number-${String(c).padStart(2, '0')}-abcde`.slice(0, 24),
    image: `registry.example.com:5000/acme/team/app-${c}:1.0.0-rc.1`,
    command: Array.from({ length: 64 }, (_, i) => `c${i}`),
    args: Array.from({ length: 256 }, (_, i) => `a${i}`),
    workingDir: `/w/${'d'.repeat(100)}`,
    env: Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`V${i}`, i % 2 === 0 ? 'x' : { secret: `s${c}`, key: `k${i}` }])),
    ports: Array.from({ length: 20 }, (_, p) => ({ name: `p${c}x${p}`, port: 1000 + c * 20 + p })),
    // Small emptyDirs and ephemeral storage, so ten containers of them fit the default quota.
    resources: { cpu: '10m', memory: '16Mi', memoryLimit: '32Mi', ephemeralStorage: '16Mi', ephemeralStorageLimit: '32Mi' },
    volumes: Array.from({ length: 10 }, (_, v) => ({ name: `volume-${c}-${v}`.slice(0, 15), path: `/v/${v}/${'p'.repeat(100)}`, persistent: v < 2, size: v < 2 ? '1Gi' : '1Mi' })),
    readiness: { port: `p${c}x0`, path: `/${'r'.repeat(200)}` },
    // Files: each a mount with generated fields; half of them Secrets, each a Pod volume of its own.
    files: Array.from({ length: 20 }, (_, f) => (f % 2 === 0 ? { path: `/f/${f}`, content: 'x' } : { path: `/s/${f}`, secret: `largest-s${c}-${f}`, key: 'k' })),
    security: { allowPrivilegeEscalation: true, seccompProfile: 'Unconfined' as const },
  }));
  return {
    name: 'largest',
    description: 'd'.repeat(300),
    containers,
    routes: Array.from({ length: 10 }, (_, r) => ({ host: `route${r}.example.com`, port: `p${r}x0`, path: `/r${r}` })),
  };
}

describe('the Deployment size estimate', () => {
  it('GIVEN the largest project shape WHEN rendered THEN the rendered Deployment exceeds the definition text by less than the allowance (minus 1 KiB for Argo CD annotations)', async () => {
    const project = { ...largestShape(), name: 'largest' };
    const defs = baseline();
    delete defs[WEB];
    defs['projects/largest.json'] = project;
    const files = render(defs);
    const result = await runCli('render', '--root', tempRoot(files), '--cluster', 'dev', '--env', 'alice/largest');
    expect(result.stderr).toBe('');
    const deployment = parseAllDocuments(result.stdout).map((d) => d.toJS()).find((o) => o.kind === 'Deployment');
    const rendered = Buffer.byteLength(JSON.stringify(deployment));
    const text = deploymentText(projectModel('projects/largest.json', project)).reduce((n, p) => n + p.bytes, 0);
    expect(rendered).toBeGreaterThan(text);
    expect(rendered - text).toBeLessThan(GENERATED_ALLOWANCE - 1024);
    expect(ANNOTATIONS_LIMIT).toBe(262144);
  });
});

/** `n` env values of 30 KiB each (the schema allows 32,768 characters per value). */
const bigValues = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`BIG_${i}`, 'x'.repeat(30 * 1024)]));

const cases: BadInputCase[] = [
  {
    given: 'eight env values of 30 KiB (the Deployment would pass the 256 KiB annotation limit)',
    defect: (d) => Object.assign(W(d).containers[1].env, bigValues(8)),
    file: WEB,
    path: 'containers[1].env',
    says: ["the env's Deployment would carry 241 KiB of this definition's text (containers[1].env 241 KiB,", 'more than the 224 KiB that fit', 'Kubernetes allows 256 KiB of annotations per object', 'build it into the image, or read it from a Secret'],
  },
];

describe('generated objects too large for Kubernetes', () => {
  it('GIVEN seven env values of 30 KiB WHEN validated THEN it is valid (control), and the rendered Deployment is under 256 KiB', async () => {
    const files = defective({ defect: (d) => Object.assign(W(d).containers[1].env, bigValues(7)) });
    const root = tempRoot(files);
    const validate = await runCli('validate', '--root', root);
    expect(validate.stderr).toBe('');
    const result = await runCli('render', '--root', root, '--cluster', 'dev', '--env', 'alice/web');
    const deployment = parseAllDocuments(result.stdout).map((d) => d.toJS()).find((o) => o.kind === 'Deployment');
    expect(Buffer.byteLength(JSON.stringify(deployment))).toBeLessThan(ANNOTATIONS_LIMIT);
  });

  it.each(cases.map((c) => [c.given, c] as const))('GIVEN %s WHEN validate and synth run THEN both exit 1 naming the file and field, and nothing is written', async (_, c) => {
    await expectRefused(c);
  });
});

describe('the ConfigMap of files', () => {
  it('GIVEN files whose text together passes the annotation room WHEN validated THEN refused at the largest file, and at the limit THEN valid', async () => {
    const big = (n: number) => Array.from({ length: n }, (_, f) => ({ path: `/f/${f}`, content: 'x'.repeat(60 * 1024) }));
    const file = (n: number) => {
      const defs = baseline();
      (defs[WEB] as ProjectDefinition).containers[0]!.files = big(n);
      return tempRoot(render(defs));
    };
    expect((await runCli('validate', '--root', file(3))).code).toBe(0);
    const refused = await runCli('validate', '--root', file(4));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/containers\[0\]\.files\[0\]\.content: the env's ConfigMap of files would carry 241 KiB .* more than the 224 KiB that fit/);
  });
});
