// Node module resolve hook: `import { defineProject } from 'devfleet'` in any definition file
// resolves to this checkout's generators/index.ts, whatever folder --root points at.
const target = new URL('../generators/index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'devfleet') return nextResolve(target, context);
  return nextResolve(specifier, context);
}
