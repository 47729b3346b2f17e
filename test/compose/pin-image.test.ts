/** The official images' versions (generators/compose/pin-image.ts, pinned-images.json derived from docker-library/official-images). */
import { describe, expect, it } from 'vitest';
import { pinFromTable, PINNED_IMAGES_CHOSEN, PINNED_IMAGES_COMMIT } from '../../generators/compose/pin-image.ts';
import table from '../../generators/compose/pinned-images.json' with { type: 'json' };

describe('pinFromTable', () => {
  it('GIVEN an official image without a tag or at latest, however written WHEN pinned THEN the table\'s tag, the name kept as written', () => {
    const { nginx, postgres, mysql } = table.images;
    expect(pinFromTable('nginx')).toBe(`nginx:${nginx}`);
    expect(pinFromTable('nginx:latest')).toBe(`nginx:${nginx}`);
    expect(pinFromTable('library/postgres')).toBe(`library/postgres:${postgres}`);
    expect(pinFromTable('docker.io/library/mysql:latest')).toBe(`docker.io/library/mysql:${mysql}`);
    expect(pinFromTable('index.docker.io/nginx')).toBe(`index.docker.io/nginx:${nginx}`);
  });

  it('GIVEN an image that is not official, one with a version, a digest or another registry WHEN pinned THEN none', () => {
    expect(pinFromTable('acme/nginx')).toBeUndefined();
    expect(pinFromTable('prom/prometheus')).toBeUndefined();
    expect(pinFromTable('docker.io/grafana/grafana:latest')).toBeUndefined();
    expect(pinFromTable('ghcr.io/acme/nginx:latest')).toBeUndefined();
    expect(pinFromTable('localhost:5000/nginx')).toBeUndefined();
    expect(pinFromTable('nginx:1.25')).toBeUndefined();
    expect(pinFromTable(`nginx@sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(pinFromTable('constructor')).toBeUndefined();
    expect(pinFromTable('hello-world')).toBeUndefined();
  });

  it('GIVEN the table WHEN read THEN it names the official-images commit and date it comes from, and every tag is a version (never latest, never empty)', () => {
    expect(PINNED_IMAGES_CHOSEN).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PINNED_IMAGES_COMMIT).toMatch(/^[0-9a-f]{40}$/);
    const entries = Object.entries(table.images);
    expect(entries.length).toBeGreaterThan(100);
    for (const [image, tag] of entries) {
      expect(image).toMatch(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/);
      expect(tag).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
      expect(tag).not.toMatch(/latest/);
    }
    expect(entries.map(([image]) => image)).toEqual(entries.map(([image]) => image).sort());
  });
});
