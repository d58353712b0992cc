import { Scalar } from '@scalar/hono-api-reference';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';

/**
 * The two stylesheets Scalar inserts without the nonce (its toast styles and its theme): constant
 * for a given bundle and configuration. After a Scalar upgrade test/browser/docs.test.ts fails with
 * the new hashes, as Chromium reports them.
 */
const SCALAR_STYLE_HASHES = "'sha256-l/2OpPg0d+2VLTLgwjf5mQo2CYwHDEqdj5TjbfEyVJI=' 'sha256-T13Uev3xCax2N28XaoAE8DOzQZKvPp7ZQVAi1iRREjo='";

/** Served by Workers Static Assets ([assets] in wrangler.toml, filled by `npm run assets`). */
export const SCALAR_BUNDLE_PATH = '/docs-assets/scalar.js';

/**
 * The API reference at /docs, with nothing but this origin: Scalar's browser bundle from our own
 * static assets, no web fonts, no telemetry, no agent or MCP widgets. A fresh nonce per response
 * admits the page's two inline scripts and the styles (Scalar tags the stylesheets it injects with
 * the nonce it reads from `meta[property=csp-nonce]`); nothing else runs or loads from elsewhere.
 */
export const docsPage = createMiddleware<AppEnv>(async (c, next) => {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const render = Scalar<AppEnv>({
    url: '/openapi.json',
    pageTitle: 'Omood API',
    cdn: SCALAR_BUNDLE_PATH,
    nonce,
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    mcp: { disabled: true },
    showDeveloperTools: 'never',
  });
  c.header(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      `script-src 'self' 'nonce-${nonce}'`,
      `style-src 'self' 'nonce-${nonce}' ${SCALAR_STYLE_HASHES}`,
      "style-src-attr 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  );
  return render(c, next);
});
