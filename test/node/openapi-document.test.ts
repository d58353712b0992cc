// The published document itself, checked in Node (the validator compiles JSON Schemas to code,
// which workerd does not allow): valid OpenAPI 3.1, and every `pattern` a regular expression that
// means what the route validates when compiled as ECMAScript without flags, as generators do.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';

/** Enough configuration for the app to answer /openapi.json; nothing here connects anywhere. */
const env = {
  JWT_SECRET: 'document-check-secret-of-at-least-32-chars',
  DATABASE_URL: 'postgresql://omood@localhost/omood',
  UPSTASH_REDIS_REST_URL: 'https://redis.example.test',
  UPSTASH_REDIS_REST_TOKEN: 'token',
  ALLOWED_ORIGINS: 'http://127.0.0.1:3000',
};

async function publishedDocument() {
  const response = await createApp().request('/openapi.json', {}, env);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

function patternsOf(node: unknown, path = '#'): { path: string; pattern: string }[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => patternsOf(item, `${path}/${index}`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'pattern' && typeof value === 'string' ? [{ path, pattern: value }] : patternsOf(value, `${path}/${key}`),
  );
}

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const document = await publishedDocument();
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  it('publishes patterns that compile without flags and accept the keys the client derives', async () => {
    const patterns = patternsOf(await publishedDocument());
    expect(patterns.length).toBeGreaterThan(0);
    for (const { pattern } of patterns) {
      expect(() => new RegExp(pattern), pattern).not.toThrow();
      // \p{…} and \u{…} mean something else, or nothing, without the u flag.
      expect(pattern, pattern).not.toMatch(/\\[pPu]\{|\/[dgimsuvy]+$/);
    }
    const keyPattern = patterns.find(({ path }) => path.includes('CustomCategoryBody'))!;
    const key = new RegExp(keyPattern.pattern);
    for (const accepted of ['side_project', '운동', 'e2e_운동', 'deep-work', 'ÉTUDE']) expect(key.test(accepted), accepted).toBe(true);
    for (const refused of ['', 'has space', 'a/b', 'semi;colon', 'x'.repeat(41), 'nul\u0000']) expect(key.test(refused), refused).toBe(false);
  });
});
