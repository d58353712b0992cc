// /docs in a real browser (Debian's chromium, driven by playwright-core) against `wrangler dev`:
// the reference must render every operation of /openapi.json with nothing but the API's own
// origin. Every other host is blocked and recorded; the page's CSP must not have refused anything.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWranglerDev } from '../helpers/wrangler-dev';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Runs in the page. A function, not a string: Playwright evaluates a string predicate with eval,
 * which the page's CSP refuses whenever the first check fails and it polls again.
 */
const pageShows = (text: string) => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.includes(text);

let stopApi: (() => void) | undefined;
let origin = '';
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  if (!existsSync(`${root}/.assets/docs-assets/scalar.js`)) throw new Error('No .assets/docs-assets/scalar.js: run `npm run assets`');
  // /docs and /openapi.json touch no storage; the config check only wants well-formed values.
  // Every value the assertions depend on is passed here, so a developer's .dev.vars (which
  // `wrangler dev` reads) cannot change the answer.
  const vars = {
    ALLOWED_ORIGINS: 'http://127.0.0.1:3000,https://omood.minjacho.com',
    DATABASE_URL: 'postgresql://omood:omood@localhost/omood_docs_test',
    UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9',
    UPSTASH_REDIS_REST_TOKEN: 'unused',
    JWT_SECRET: 'docs-test-secret-that-is-at-least-32-characters',
  };
  const server = startWranglerDev(['--local', '--persist-to', `${root}/.wrangler/state-docs-test`, ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`])]);
  const [launched] = await Promise.all([
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }),
    server,
  ]);
  browser = launched;
  ({ stop: stopApi, origin } = await server);
});

afterAll(async () => {
  await browser?.close();
  stopApi?.();
});

describe('/docs', () => {
  it('renders every operation of /openapi.json from the API origin alone, under its CSP', async () => {
    const spec = (await (await fetch(`${origin}/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary?: string }>> };
    const operations = Object.entries(spec.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, summary: operation.summary ?? '' })));
    expect(operations.map(({ path }) => path)).toContain('/session/current');

    const context = await browser!.newContext();
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      elsewhere.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const refused: string[] = [];
    const logged: string[] = [];
    page.on('console', (message) => {
      logged.push(`${message.type()}: ${message.text()}`);
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    page.on('pageerror', (error) => void logged.push(`pageerror: ${error.message}`));
    const sameOrigin: string[] = [];
    page.on('request', (request) => void sameOrigin.push(request.url()));

    const response = await page.goto(`${origin}/docs`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'(;|$)/);
    expect(csp).toMatch(/style-src 'self' 'nonce-[^']+'( 'sha256-[^']+')*(;|$)/);
    expect(csp).not.toMatch(/(script-src|style-src|style-src-elem) [^;]*unsafe/);

    // Scalar lists each operation's path in its sidebar and sections once the document has loaded.
    await page
      .waitForFunction(pageShows, 'Open Group', { timeout: 15_000 })
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nblocked: ${elsewhere.join(' ')}\nconsole:\n${logged.join('\n')}\npage:\n${(await page.locator('body').innerText()).slice(0, 3000)}`);
      });
    // Every tag group of the sidebar opened: each operation is listed by its summary.
    for (let open = page.getByRole('button', { name: /^Open Group/ }); (await open.count()) > 0; ) await open.first().click();
    const sidebar = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
    const shown = (summary: string) => [summary, summary.replace(/`/g, '')].some((text) => sidebar.includes(text.replace(/\s+/g, ' ')));
    const missing = operations.filter(({ summary }) => !shown(summary));
    expect(missing, 'operations not listed').toEqual([]);
    // And an operation's own section shows its path.
    const current = operations.find(({ path, method }) => path === '/session/current' && method === 'get')!;
    await page.getByText(current.summary, { exact: true }).first().click();
    await page.waitForFunction(pageShows, '/session/current', { timeout: 10_000 });
    expect(sameOrigin).toContain(`${origin}/docs-assets/scalar.js`);
    expect(elsewhere, 'requests to other origins').toEqual([]);
    expect(refused, 'refused by the page CSP (a new Scalar may need new hashes in src/http/docs.ts)').toEqual([]);
    await context.close();
  });

  it('leaves the API itself to the Worker: an unknown path is still problem+json, CORS as before', async () => {
    const unknown = await fetch(`${origin}/docs-assets/nothing.js`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const preflight = await fetch(`${origin}/openapi.json`, { headers: { Origin: 'https://omood.minjacho.com' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://omood.minjacho.com');
  });
});
