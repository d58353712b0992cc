// `npm run lock:platforms`, after any `npm install` that changed the lockfile.
//
// This machine's npm registry mirror has only the Linux builds of recent workerd releases, so npm
// writes a lockfile without workerd's macOS and Windows packages, and `npm ci` then refuses it
// ("Missing: @cloudflare/workerd-darwin-64@ from lock file"). This adds those entries beside each
// locked Linux build, with the same version and their os/cpu: skipped on Linux as before, and
// fetched (from a full registry) on macOS and Windows.
import { readFileSync, writeFileSync } from 'node:fs';

type LockEntry = { version: string; [field: string]: unknown };
type Lockfile = { packages: Record<string, LockEntry>; [field: string]: unknown };

const LOCKFILE = 'package-lock.json';
const SIBLINGS = { 'darwin-64': ['darwin', 'x64'], 'darwin-arm64': ['darwin', 'arm64'], 'windows-64': ['win32', 'x64'] } as const;

const lock = JSON.parse(readFileSync(LOCKFILE, 'utf8')) as Lockfile;
const packages = { ...lock.packages };
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  if (!path.endsWith('@cloudflare/workerd-linux-64')) continue;
  for (const [platform, [os, cpu]] of Object.entries(SIBLINGS)) {
    const sibling = path.replace(/workerd-linux-64$/, `workerd-${platform}`);
    if (packages[sibling]) continue;
    packages[sibling] = { version: entry.version, cpu: [cpu], dev: true, license: entry.license, optional: true, os: [os], engines: entry.engines };
    added++;
  }
}
// npm keeps the root package first and the rest in path order.
const ordered = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(LOCKFILE, `${JSON.stringify({ ...lock, packages: ordered }, null, 2)}\n`);
console.log(`lock:platforms: added ${added} workerd platform entries`);
