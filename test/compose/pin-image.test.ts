/** The table of well-known images' versions (generators/compose/pin-image.ts, pinned-images.json). */
import { describe, expect, it } from 'vitest';
import { pinFromTable, PINNED_IMAGES_CHOSEN } from '../../generators/compose/pin-image.ts';
import table from '../../generators/compose/pinned-images.json' with { type: 'json' };

describe('pinFromTable', () => {
  it('GIVEN a well-known image without a tag or at latest, however written WHEN pinned THEN the table\'s tag, the name kept as written', () => {
    expect(pinFromTable('nginx')).toBe('nginx:1.27');
    expect(pinFromTable('nginx:latest')).toBe('nginx:1.27');
    expect(pinFromTable('library/postgres')).toBe('library/postgres:17');
    expect(pinFromTable('docker.io/library/mysql:latest')).toBe('docker.io/library/mysql:8.4');
    expect(pinFromTable('prom/prometheus')).toBe('prom/prometheus:v3.0.1');
    expect(pinFromTable('docker.io/grafana/grafana:latest')).toBe('docker.io/grafana/grafana:11.3.0');
  });

  it('GIVEN an image the table does not know, one with a version, a digest or another registry WHEN pinned THEN none', () => {
    expect(pinFromTable('acme/nginx')).toBeUndefined();
    expect(pinFromTable('ghcr.io/acme/nginx:latest')).toBeUndefined();
    expect(pinFromTable('localhost:5000/nginx')).toBeUndefined();
    expect(pinFromTable('nginx:1.25')).toBeUndefined();
    expect(pinFromTable(`nginx@sha256:${'a'.repeat(64)}`)).toBeUndefined();
    expect(pinFromTable('constructor')).toBeUndefined();
  });

  it('GIVEN the table WHEN read THEN it says when its tags were chosen, and every tag is a version (never latest, never empty)', () => {
    expect(PINNED_IMAGES_CHOSEN).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const entries = Object.entries(table.images);
    expect(entries.length).toBeGreaterThan(10);
    for (const [image, tag] of entries) {
      expect(image).toMatch(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)?$/);
      expect(tag).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
      expect(tag).not.toMatch(/latest/);
    }
    expect(entries.map(([image]) => image)).toEqual(entries.map(([image]) => image).sort());
  });
});
