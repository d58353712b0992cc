// `npm run assets`: fills the Workers Static Assets folder (wrangler.toml [assets], gitignored)
// from the installed npm packages, so /docs loads its script from Omood's own origin, at the edge,
// outside the Worker's bundle budget. `npm run dev`, `npm run build` and `npm test` run it first.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ASSETS_DIR = '.assets';
/** Served at /docs-assets/scalar.js (src/http/docs.ts names the same path). */
const SCALAR = join(ASSETS_DIR, 'docs-assets', 'scalar.js');

export function buildDocsAssets() {
  // The package exports no path to its browser build; a direct devDependency sits at the top level.
  mkdirSync(dirname(SCALAR), { recursive: true });
  copyFileSync(join('node_modules', '@scalar', 'api-reference', 'dist', 'browser', 'standalone.js'), SCALAR);
}

if (import.meta.main) {
  buildDocsAssets();
  console.log(`assets: ${SCALAR}`);
}
