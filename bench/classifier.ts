// The builtin classifier's quality on bench/labelled-memos.ts: accuracy on memos with a right
// answer and how many fit-nothing memos it forces into a category. Run alone with `npx node bench/classifier.ts`.
import { build } from 'esbuild';
import { CUSTOM_CATEGORIES, LABELLED_MEMOS } from './labelled-memos.ts';

/** The Worker's source imports without extensions; esbuild bundles a module of it for Node, as wrangler does for workerd. */
async function bundled<T>(path: string): Promise<T> {
  const bundle = await build({ entryPoints: [new URL(path, import.meta.url).pathname], bundle: true, format: 'esm', platform: 'neutral', write: false });
  return (await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0]?.text ?? '').toString('base64')}`)) as T;
}

export async function benchClassifier(options: { verbose?: boolean } = {}) {
  const { classifyBuiltin } = await bundled<typeof import('../src/ai/builtin/classifier.ts')>('../src/ai/builtin/classifier.ts');
  const { BUILTIN_CATEGORIES } = await bundled<typeof import('../src/features/categories/builtin.ts')>('../src/features/categories/builtin.ts');
  const candidates = [...BUILTIN_CATEGORIES, ...CUSTOM_CATEGORIES];
  let right = 0;
  let answerable = 0;
  let forced = 0;
  let nothing = 0;
  const t0 = performance.now();
  for (const memo of LABELLED_MEMOS) {
    const answer = classifyBuiltin({ text: memo.text, tags: memo.tags ?? [], candidates });
    if (memo.expected === null) {
      nothing++;
      if (answer.key !== null) forced++;
    } else {
      answerable++;
      if (answer.key === memo.expected) right++;
    }
    if (options.verbose && answer.key !== memo.expected) console.log(`  miss: ${JSON.stringify(memo.text)} expected ${memo.expected} got ${answer.key} (${answer.confidence})`);
  }
  const perMemoMs = (performance.now() - t0) / LABELLED_MEMOS.length;
  console.log(`\nBuiltin classifier on ${LABELLED_MEMOS.length} labelled memos (Korean and English, 6 built-in + 2 custom categories):`);
  console.log(`  accuracy ${((100 * right) / answerable).toFixed(1)}% (${right}/${answerable} with a right answer)`);
  console.log(`  forced   ${((100 * forced) / nothing).toFixed(1)}% (${forced}/${nothing} fit-nothing memos put in a category)`);
  console.log(`  ${perMemoMs.toFixed(3)} ms per memo in Node`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchClassifier({ verbose: true });
