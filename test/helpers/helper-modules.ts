/**
 * The bundled `shop` project rewritten as a team with shared code writes it: `<root>/projects/shop.ts`
 * imports `<root>/projects/_rails.ts` (a `_`-prefixed helper), which imports
 * `<root>/projects/shared/images.ts` (a helper in a subfolder) and `<root>/lib/ports` (outside
 * projects/, no extension). `<root>/projects/shared/unused.ts` is imported by nothing. Loaded, shop is the same data as before.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface HelperModules {
  /** Every helper file written, relative to the repository-shaped root. */
  readonly helpers: readonly string[];
}

/** Rewrites `<root>/projects/shop.ts` to use helper modules; `lib` is the folder of the ports helper (default `<root>/lib`). */
export function useHelperModules(root: string, lib = join(root, 'lib'), image = 'ghcr.io/example/shop:2026.11.3'): HelperModules {
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  const projects = join(root, 'projects');
  const shop = readFileSync(join(projects, 'shop.ts'), 'utf8');
  const start = shop.indexOf("const image = '");
  const end = shop.indexOf('export default defineProject(');
  if (start < 0 || end < 0) throw new Error('projects/shop.ts no longer has the consts this fixture moves into helpers');
  const moved = shop.slice(start, end);
  const portsFrom = relative(projects, join(lib, 'ports')).split('\\').join('/');
  write(join(lib, 'ports.ts'), "export const http = { name: 'http', port: 3000 };\n");
  write(join(projects, 'shared', 'images.ts'), `export const shopImage = '${image}';\n`);
  write(join(projects, 'shared', 'unused.ts'), "export const unused = 'nobody imports this';\n");
  write(
    join(projects, '_rails.ts'),
    `// Shared by shop's web and worker containers.\nimport { shopImage } from './shared/images.ts';\nexport { http } from '${portsFrom.startsWith('.') ? portsFrom : `./${portsFrom}`}';\n\nexport ${moved.replace(/^const image = '[^']*';/, 'const image = shopImage;').replace(/\nconst railsEnv/, '\nexport const railsEnv')}`,
  );
  write(
    join(projects, 'shop.ts'),
    shop
      .replace(moved, '')
      .replace("import { defineProject } from 'devfleet';\n", "import { defineProject } from 'devfleet';\nimport { http, image, railsEnv } from './_rails.ts';\n")
      .replace("ports: [{ name: 'http', port: 3000 }]", 'ports: [http]'),
  );
  return { helpers: [relative(root, join(lib, 'ports.ts')), 'projects/_rails.ts', 'projects/shared/images.ts', 'projects/shared/unused.ts'].map((p) => p.split('\\').join('/')) };
}
