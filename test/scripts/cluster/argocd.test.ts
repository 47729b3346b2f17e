/**
 * The argocd-cm defaults of Argo CD's install manifests, which the local harness writes because it
 * starts the binaries without the manifests (scripts/cluster/argocd.ts argocdInstallCm). The
 * vendored copy (tools/argocd/vendor-files/argocd-cm.yaml) must be the pinned version's file: it is
 * compared with the Argo CD module the harness builds (tools/argocd/go.mod), as the Go module proxy
 * serves it (`go mod download`, the toolchain scripts/build-argocd.sh uses).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APPLICATION_UPDATES_IGNORED, argocdCm } from '../../../generators/cluster/argocd-settings.ts';
import { argocdInstallCm } from '../../../scripts/cluster/argocd.ts';
import { PINS } from '../../../scripts/lib/versions.ts';
import { REPO } from '../../helpers/fixtures.ts';

const VENDORED = join(REPO, 'tools', 'argocd', 'vendor-files', 'argocd-cm.yaml');

describe("Argo CD's install defaults in the harness", () => {
  it('GIVEN the vendored argocd-cm.yaml WHEN compared with the pinned Argo CD module THEN the bytes are the same', { timeout: 300_000 }, () => {
    const module = `github.com/argoproj/argo-cd/v3@${PINS.ARGOCD_VERSION}`;
    const info = JSON.parse(
      execFileSync('go', ['mod', 'download', '-json', module], { cwd: REPO, encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: PINS.ARGOCD_GOTOOLCHAIN, GOFLAGS: '-mod=mod' } }),
    ) as { Dir?: string; Error?: string };
    expect(info.Error).toBeUndefined();
    expect(readFileSync(VENDORED, 'utf8')).toBe(readFileSync(join(info.Dir!, 'manifests', 'base', 'config', 'argocd-cm.yaml'), 'utf8'));
  });

  it('GIVEN the install defaults WHEN read THEN a status-only change and an Application refresh annotation do not make Argo CD compare again, and the fleet settings override only the Application list', () => {
    const cm = argocdInstallCm();
    expect(cm['resource.customizations.ignoreResourceUpdates.all']).toMatch(/jsonPointers:\s+- \/status/);
    expect(Object.keys(argocdCm()).filter((k) => k in cm)).toEqual(['resource.customizations.ignoreResourceUpdates.argoproj.io_Application']);
  });

  it("GIVEN Argo CD's default jq list of ignored Application fields WHEN the fleet settings say it as JSON pointers THEN they name exactly the same fields", () => {
    const jq = (parse(argocdInstallCm()['resource.customizations.ignoreResourceUpdates.argoproj.io_Application']!) as { jqPathExpressions: string[] }).jqPathExpressions;
    // `.a.b."c/d"` -> `/a/b/c~1d` (RFC 6901 escapes "~" and "/").
    const pointer = (expression: string) =>
      [...expression.matchAll(/\.(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*))/g)].map((m) => `/${(m[1] ?? m[2])!.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
    expect(jq.length).toBeGreaterThan(3);
    const fleet = parse(argocdCm()['resource.customizations.ignoreResourceUpdates.argoproj.io_Application']!) as Record<string, unknown>;
    expect(fleet).toEqual({ jsonPointers: jq.map(pointer) });
    expect(APPLICATION_UPDATES_IGNORED).toEqual(jq.map(pointer));
  });
});
