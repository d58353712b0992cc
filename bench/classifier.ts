// The builtin classifier's quality on each labelled set in bench/classifier/: accuracy on memos that
// have a right answer and the share of fit-nothing memos it forces into a category, with what the
// classifier and its lexicon add to the Worker bundle. dev.json is the set it was tuned on;
// heldout.json, written apart from the classifier, is measured when the file is present.
// Run alone with `npx node bench/classifier.ts` (`--misses` lists the development set's misses).
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface LabelledSet {
  custom_categories: { key: string; name: string; description: string }[];
  memos: { content: string; tags: string[]; language: string; expected: string | null }[];
}

const SETS = [
  { name: 'development (tuned on)', file: 'classifier/dev.json', misses: true },
  { name: 'second development set, other custom categories (tuned on)', file: 'classifier/dev-2.json', misses: true },
  { name: 'held-out (never tuned on)', file: 'classifier/heldout.json', misses: false },
];

export const readSet = (file: string): LabelledSet => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as LabelledSet;

async function bundle(path: string, minify = false) {
  const result = await build({ entryPoints: [new URL(path, import.meta.url).pathname], bundle: true, format: 'esm', platform: 'neutral', write: false, minify });
  return result.outputFiles[0]?.text ?? '';
}

/** The Worker's source imports without extensions; esbuild bundles a module of it for Node, as wrangler does for workerd. */
async function bundled<T>(path: string): Promise<T> {
  return (await import(`data:text/javascript;base64,${Buffer.from(await bundle(path)).toString('base64')}`)) as T;
}

const pct = (part: number, whole: number) => (whole === 0 ? '  n/a' : `${((100 * part) / whole).toFixed(1)}%`);

export async function benchClassifier(options: { misses?: boolean } = {}) {
  const { classifyBuiltin } = await bundled<typeof import('../src/ai/builtin/classifier.ts')>('../src/ai/builtin/classifier.ts');
  const { BUILTIN_CATEGORIES } = await bundled<typeof import('../src/features/categories/builtin.ts')>('../src/features/categories/builtin.ts');
  console.log('\nBuiltin classifier (6 built-in categories + each set’s custom categories; aim: ≥80% right, ≤15% forced):');
  for (const set of SETS) {
    if (!existsSync(new URL(set.file, import.meta.url))) {
      console.log(`  ${set.name}: bench/${set.file} not present`);
      continue;
    }
    const { custom_categories: custom, memos } = readSet(set.file);
    const candidates = [...BUILTIN_CATEGORIES, ...custom];
    const tally = new Map<string, { right: number; answerable: number; forced: number; nothing: number }>();
    const count = (group: string) => {
      let entry = tally.get(group);
      if (!entry) tally.set(group, (entry = { right: 0, answerable: 0, forced: 0, nothing: 0 }));
      return entry;
    };
    const t0 = performance.now();
    for (const memo of memos) {
      const tags = Array.isArray(memo.tags) ? memo.tags : typeof memo.tags === 'string' ? (memo.tags as string).split(',').filter(Boolean) : [];
      const answer = classifyBuiltin({ text: memo.content, tags, candidates });
      for (const entry of [count('all'), count(memo.language ?? '?')]) {
        if (memo.expected === null) {
          entry.nothing++;
          if (answer.key !== null) entry.forced++;
        } else {
          entry.answerable++;
          if (answer.key === memo.expected) entry.right++;
        }
      }
      if (set.misses && options.misses && answer.key !== memo.expected) console.log(`    miss: ${JSON.stringify(memo.content)} expected ${memo.expected} got ${answer.key} (${answer.confidence})`);
    }
    const perMemoMs = (performance.now() - t0) / memos.length;
    console.log(`  ${set.name}, ${memos.length} memos (custom: ${custom.map((category) => category.name).join(', ')}):`);
    for (const [group, entry] of tally) {
      console.log(`    ${group.padEnd(4)} right ${pct(entry.right, entry.answerable).padStart(6)} (${entry.right}/${entry.answerable})   forced ${pct(entry.forced, entry.nothing).padStart(6)} (${entry.forced}/${entry.nothing})`);
    }
    console.log(`    ${perMemoMs.toFixed(3)} ms per memo in Node`);
  }
  const classifier = gzipSync(await bundle('../src/ai/builtin/classifier.ts', true)).length;
  const lexicon = gzipSync(await bundle('../src/ai/builtin/lexicon.ts', true)).length;
  console.log(`  bundle: classifier with its lexicon ${(classifier / 1024).toFixed(1)} KiB gzip alone (lexicon ${(lexicon / 1024).toFixed(1)} KiB), minified`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchClassifier({ misses: process.argv.includes('--misses') });
