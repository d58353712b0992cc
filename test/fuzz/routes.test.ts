// Every operation of the API's own /openapi.json, fuzzed from its schema: values at and past the
// limits, wrong types, null, missing fields, huge and hostile strings (NUL, half surrogate pairs,
// prototype keys), malformed JSON, wrong content types, and no credentials. A route an issue adds is
// covered the day it lands. It passes when no answer is a 5xx, every error is problem+json, and
// nothing anonymous gets a 2xx from a protected route.
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api';
import { eq } from 'drizzle-orm';
import { users as usersTable } from '../../src/db/schema';
import { createTestUser, testDb, type TestUser } from '../helpers/users';
import { HOSTILE_URL_VALUES, mutationsOf, resolve, sample, seededRandom, typeOf, type Document, type Operation, type Parameter, type Schema } from './schema-values';

const SEED = 20261207;
/** Requests per operation at most, so the run stays bounded as routes are added. */
const CASES_PER_OPERATION = 90;
const CONCURRENCY = 8;
const USERS = 20;

interface Case {
  label: string;
  path: Record<string, string>;
  query: Record<string, string>;
  body?: { type: string; payload: BodyInit };
  anonymous?: boolean;
}

interface Endpoint {
  method: string;
  template: string;
  operation: Operation;
}

const isProtected = (operation: Operation) => (operation.security ?? []).length > 0 && !operation.security!.some((requirement) => Object.keys(requirement).length === 0);

const parametersOf = (operation: Operation, where: Parameter['in']) => (operation.parameters ?? []).filter((parameter) => parameter.in === where);

/** Percent-encoded as a client would; half a surrogate pair has no UTF-8 form, so it travels as U+FFFD. */
function encode(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return encodeURIComponent(new TextDecoder().decode(new TextEncoder().encode(text)));
}

function url(endpoint: Endpoint, testCase: Case): string {
  const path = endpoint.template.replace(/\{(\w+)\}/g, (_, name: string) => testCase.path[name] ?? 'x');
  const query = Object.entries(testCase.query).map(([name, value]) => `${encodeURIComponent(name)}=${value}`);
  return query.length > 0 ? `${path}?${query.join('&')}` : path;
}

function jsonBody(value: unknown): Case['body'] {
  return { type: 'application/json', payload: JSON.stringify(value) };
}

function formBody(fields: Record<string, unknown>): Case['body'] {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof File) form.append(name, value);
    else if (value !== undefined) form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const request = new Request('http://form.test', { method: 'POST', body: form });
  return { type: request.headers.get('Content-Type')!, payload: form };
}

/** Every case of one operation: the baseline, each parameter and each body field mutated alone, whole-body mutations, no credentials. */
function casesOf(document: Document, endpoint: Endpoint): Case[] {
  const { operation } = endpoint;
  const pathParameters = parametersOf(operation, 'path');
  const queryParameters = parametersOf(operation, 'query');
  const basePath = Object.fromEntries(pathParameters.map((parameter) => [parameter.name, encode(sample(document, parameter.schema))]));
  const baseQuery = Object.fromEntries(queryParameters.filter((parameter) => parameter.required).map((parameter) => [parameter.name, encode(sample(document, parameter.schema))]));
  const [contentType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
  const bodySchema: Schema = resolve(document, media?.schema);
  const baseFields = (contentType ? sample(document, bodySchema) : undefined) as Record<string, unknown> | undefined;
  const bodyOf = (fields: unknown): Case['body'] => {
    if (!contentType) return undefined;
    if (contentType === 'multipart/form-data') return formBody(fields as Record<string, unknown>);
    if (contentType === 'application/json') return jsonBody(fields);
    return { type: 'application/octet-stream', payload: typeof fields === 'string' ? fields : JSON.stringify(fields) };
  };
  const base = { path: basePath, query: baseQuery, body: bodyOf(baseFields) };
  const cases: Case[] = [{ label: 'baseline', ...base }, { label: 'no credentials', ...base, anonymous: true }];

  for (const parameter of pathParameters) {
    for (const value of HOSTILE_URL_VALUES) cases.push({ label: `path.${parameter.name}=${value.slice(0, 20)}`, ...base, path: { ...basePath, [parameter.name]: value } });
  }
  for (const parameter of queryParameters) {
    for (const value of HOSTILE_URL_VALUES) cases.push({ label: `query.${parameter.name}=${value.slice(0, 20)}`, ...base, query: { ...baseQuery, [parameter.name]: value } });
    for (const value of mutationsOf(document, parameter.schema)) cases.push({ label: `query.${parameter.name}~${String(value).slice(0, 20)}`, ...base, query: { ...baseQuery, [parameter.name]: encode(value) } });
  }
  if (contentType && typeOf(bodySchema) !== 'string' && bodySchema.properties) {
    for (const [name, property] of Object.entries(bodySchema.properties)) {
      cases.push({ label: `body.${name} missing`, ...base, body: bodyOf({ ...baseFields, [name]: undefined }) });
      for (const value of mutationsOf(document, property)) {
        cases.push({ label: `body.${name}~${JSON.stringify(value)?.slice(0, 20)}`, ...base, body: bodyOf({ ...baseFields, [name]: value }) });
      }
    }
    if (contentType === 'multipart/form-data') {
      const file = (name: string) => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], name, { type: 'image/png' });
      cases.push({ label: 'file name with NUL', ...base, body: bodyOf({ ...baseFields, image_0: file('a\u0000.png') }) });
      cases.push({ label: 'file under a text field', ...base, body: bodyOf({ ...baseFields, content: file('x.png') }) });
    }
  }
  if (contentType) {
    const text = (type: string, payload: string): Case['body'] => ({ type, payload });
    const valid = contentType === 'application/json' ? JSON.stringify(baseFields) : 'content=x';
    cases.push(
      { label: 'empty body', ...base, body: text(contentType, '') },
      { label: 'malformed JSON', ...base, body: text('application/json', '{"content": "x",') },
      { label: 'JSON null', ...base, body: text('application/json', 'null') },
      { label: 'JSON array', ...base, body: text('application/json', '[]') },
      { label: 'deeply nested JSON', ...base, body: text('application/json', '['.repeat(5_000) + ']'.repeat(5_000)) },
      { label: 'prototype keys', ...base, body: text('application/json', `{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, ${valid.slice(1)}`) },
      { label: 'wrong content type', ...base, body: text('text/plain', valid) },
      { label: 'multipart without boundary', ...base, body: text('multipart/form-data', '--x\r\nContent-Disposition: form-data; name="content"\r\n\r\nx\r\n--x--') },
      { label: 'truncated multipart', ...base, body: text('multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="content"\r\n\r\nx') },
    );
  }
  return cases;
}

/** A fixed order per seed: the baseline and the anonymous case first, then a seeded pick of the rest. */
function bounded(cases: Case[], random: () => number): Case[] {
  const [baseline, anonymous, ...rest] = cases;
  const shuffled = rest.map((item) => ({ item, key: random() })).sort((a, b) => a.key - b.key).map(({ item }) => item);
  return [baseline!, anonymous!, ...shuffled.slice(0, CASES_PER_OPERATION - 2)];
}

interface Finding {
  operation: string;
  label: string;
  status: number;
  problem: string;
}

async function send(endpoint: Endpoint, testCase: Case, user: TestUser): Promise<Finding | undefined> {
  const headers: Record<string, string> = testCase.anonymous ? {} : { ...user.bearer };
  if (testCase.body) headers['Content-Type'] = testCase.body.type;
  // FormData sets its own boundary; a fixed Content-Type would lose it.
  if (testCase.body?.payload instanceof FormData) delete headers['Content-Type'];
  const response = await api(url(endpoint, testCase), { method: endpoint.method.toUpperCase(), headers, body: testCase.body?.payload });
  const operation = `${endpoint.method.toUpperCase()} ${endpoint.template}`;
  const finding = (problem: string): Finding => ({ operation, label: testCase.label, status: response.status, problem });
  const type = response.headers.get('Content-Type') ?? '';
  const text = await response.text();
  if (response.status >= 500) return finding(`server error: ${text.slice(0, 200)}`);
  if (response.status >= 400 && !type.startsWith('application/problem+json')) return finding(`error is ${type}, not problem+json`);
  if (testCase.anonymous && isProtected(endpoint.operation) && response.status !== 401) return finding('a protected route answered an anonymous caller');
  return undefined;
}

async function inParallel<T, R>(items: T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await run(items[index]!, index);
      }
    }),
  );
  return results;
}

let document: Document;
let endpoints: Endpoint[];

beforeAll(async () => {
  document = (await (await api('/openapi.json')).json()) as Document;
  endpoints = Object.entries(document.paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method, template, operation })),
  );
});

describe('every operation of /openapi.json, fuzzed from its own schema', () => {
  it('answers no 5xx, only problem+json errors, and 401 to anonymous callers of protected routes', async () => {
    const users = await Promise.all(Array.from({ length: USERS }, (_, index) => createTestUser(`Fuzz ${index}`)));
    const random = seededRandom(SEED);
    const planned = endpoints.flatMap((endpoint) => bounded(casesOf(document, endpoint), random).map((testCase) => ({ endpoint, testCase })));
    const findings = (await inParallel(planned, CONCURRENCY, ({ endpoint, testCase }, index) => send(endpoint, testCase, users[index % USERS]!))).filter(Boolean);
    expect(endpoints.length).toBeGreaterThanOrEqual(38);
    expect(planned.length).toBeGreaterThan(endpoints.length * 10);
    expect(findings).toEqual([]);
  }, 240_000);
});

describe('a deleted account on every write route of /openapi.json', () => {
  it('is signed out (401), or finds nothing at an id (404), never a 5xx', async () => {
    const deleted = await createTestUser('Deleted');
    await testDb().delete(usersTable).where(eq(usersTable.id, deleted.userId));
    const writes = endpoints.filter((endpoint) => endpoint.method !== 'get' && isProtected(endpoint.operation));
    const answers = await inParallel(writes, CONCURRENCY, async (endpoint) => {
      const [baseline] = casesOf(document, endpoint);
      const response = await api(url(endpoint, baseline!), {
        method: endpoint.method.toUpperCase(),
        headers: baseline!.body && !(baseline!.body.payload instanceof FormData) ? { ...deleted.bearer, 'Content-Type': baseline!.body.type } : deleted.bearer,
        body: baseline!.body?.payload,
      });
      const addressesOne = endpoint.template.includes('{');
      return { operation: `${endpoint.method.toUpperCase()} ${endpoint.template}`, status: response.status, expected: response.status === 401 || (addressesOne && response.status === 404) };
    });
    expect(writes.length).toBeGreaterThanOrEqual(14);
    expect(answers.filter((answer) => !answer.expected)).toEqual([]);
  });
});
