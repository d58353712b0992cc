// Values derived from the JSON Schemas of /openapi.json: one valid sample per schema, and the
// hostile variants the route fuzzer sends in its place. Seeded, so a failure reproduces.

export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

export interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
}

/** mulberry32: small, fast and good enough to pick mutations reproducibly. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function resolve(document: Document, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(document, document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => resolve(document, part)), { ...schema, allOf: undefined });
  const branch = (schema.anyOf ?? schema.oneOf)?.map((part) => resolve(document, part)).find((part) => typeOf(part) !== 'null');
  return branch ? { ...branch, example: schema.example ?? branch.example } : schema;
}

export const typeOf = (schema: Schema): string | undefined => (Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type);

const today = () => new Date().toISOString().slice(0, 10);

/** Strings tried, in order, against a pattern the sample must match. */
const PATTERN_CANDIDATES = ['fuzz', 'fuzz_key', '#12AB34', 'Asia/Seoul', '2026-01-02', '12:30', 'a'];

function sampleString(schema: Schema): string {
  switch (schema.format) {
    case 'date-time':
      return new Date().toISOString();
    case 'date':
      return today();
    case 'uuid':
      return crypto.randomUUID();
    case 'uri':
    case 'url':
      return 'https://example.com/fuzz';
    case 'email':
      return 'fuzz@example.test';
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const match = PATTERN_CANDIDATES.find((candidate) => pattern.test(candidate));
    if (match) return match;
  }
  return 'fuzz'.padEnd(schema.minLength ?? 0, 'z').slice(0, schema.maxLength ?? Infinity);
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : undefined);
  const value = low ?? (high !== undefined ? Math.min(1, high) : 1);
  return integer ? Math.ceil(value) : value;
}

/** A value the schema accepts: its example where it gives one, else the simplest that fits. */
export function sample(document: Document, raw: Schema | undefined): unknown {
  const schema = resolve(document, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (typeOf(schema)) {
    case 'string':
      return sampleString(schema);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () => sample(document, schema.items));
    case 'object':
    case undefined: {
      if (!schema.properties) return typeOf(schema) === 'object' ? {} : 'fuzz';
      const required = new Set(schema.required ?? []);
      return Object.fromEntries(
        Object.entries(schema.properties)
          .filter(([name]) => required.has(name))
          .map(([name, property]) => [name, sample(document, property)]),
      );
    }
    default:
      return null;
  }
}

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Strings that each broke some API somewhere: NUL, half a surrogate pair, prototype names, escapes. */
export const HOSTILE_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', ...PROTOTYPE_KEYS, '', ' ', '%00', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '🧘‍♀️'.repeat(20), '\u202e\u0301'];

/** The values sent in place of a field whose schema is `raw`: limits ±1, wrong types, null, huge, hostile strings. */
export function mutationsOf(document: Document, raw: Schema | undefined): unknown[] {
  const schema = resolve(document, raw);
  const type = typeOf(schema);
  const values: unknown[] = [null, { nested: true }, [1, 2]];
  if (type === 'string' || type === undefined) {
    values.push(...HOSTILE_STRINGS, 12345, true, 'x'.repeat(100_001));
    if (schema.maxLength !== undefined) values.push('x'.repeat(schema.maxLength), 'x'.repeat(schema.maxLength + 1));
    if (schema.minLength) values.push('x'.repeat(schema.minLength - 1));
    if (schema.format) values.push('not-a-' + schema.format, '9999-99-99T99:99:99Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z');
  }
  if (type === 'integer' || type === 'number') {
    values.push('1', 0.5, -1, 0, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, '\u0000');
    if (schema.minimum !== undefined) values.push(schema.minimum - 1, schema.minimum);
    if (schema.maximum !== undefined) values.push(schema.maximum + 1, schema.maximum);
  }
  if (type === 'boolean') values.push('true', 0, 1);
  if (type === 'array') {
    values.push([], [null], ['\u0000'], 'x', Array.from({ length: (schema.maxItems ?? 1000) + 1 }, () => sample(document, schema.items)));
    if (schema.items) values.push(...mutationsOf(document, schema.items).slice(0, 6).map((item) => [item]));
  }
  if (type === 'object') values.push({}, 'x', Object.fromEntries(PROTOTYPE_KEYS.map((key) => [key, { polluted: true }])));
  if (schema.enum) values.push('not-in-enum', String(schema.enum[0]).toUpperCase());
  return values;
}

/** Path and query values that arrive through the URL, already percent-encoded where they need to be. */
export const HOSTILE_URL_VALUES = ['%00', 'a%00b', '%ED%A0%80', '%', '%zz', '%E0%A4%A', '__proto__', 'constructor', '..%2F..%2Fadmin', 'x'.repeat(2_000), '%F0%9F%A7%98', '-1', '0', '1e309', 'null', 'undefined'];
