// Value conversions of Neon's SQL-over-HTTP endpoint, mirroring its proxy (serverless/json.rs):
// JSON params → Postgres text params, and Postgres text output → typed JSON for clients that do
// not ask for raw text. @neondatabase/serverless always asks for raw text and sends string params,
// so these paths only matter for other clients (curl, scripts).

const BOOL = 16;
const INT2 = 21;
const INT4 = 23;
const FLOAT4 = 700;
const FLOAT8 = 701;
const JSON_OID = 114;
const JSONB = 3802;

/** JSON param → text param: strings verbatim, null → SQL NULL, arrays → a PG array literal. */
export function jsonParamToPgText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return arrayLiteral(value);
  return JSON.stringify(value);
}

// Inside an array literal every scalar is JSON text (so strings arrive quoted and escaped the
// way PG's array input expects) and objects become quoted JSON text.
function arrayLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return `{${value.map(arrayLiteral).join(',')}}`;
  if (typeof value === 'object') return JSON.stringify(JSON.stringify(value));
  return JSON.stringify(value);
}

/** Returns the element type OID when `oid` is an array type, otherwise undefined. */
export type ArrayElementOf = (oid: number) => number | undefined;

/** PG text output → JSON value by type, like Neon's typed (non-raw) output mode. */
export function pgTextToJson(text: string, oid: number, elementOf: ArrayElementOf): unknown {
  const element = elementOf(oid);
  if (element !== undefined) return parseArray(text, element, elementOf);
  switch (oid) {
    case BOOL:
      return text === 't';
    case INT2:
    case INT4:
      return Number.parseInt(text, 10);
    case FLOAT4:
    case FLOAT8: {
      // NaN and ±Infinity have no JSON number form, so they stay strings.
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case JSON_OID:
    case JSONB:
      return JSON.parse(text);
    default:
      return text;
  }
}

/**
 * Parses PG's array text output (`{1,NULL,"a b"}`, nested `{{1,2},{3,4}}`, optional `[1:2]=`
 * bounds) into nested JSON arrays, converting elements by the element type. Like Neon it assumes
 * the `,` delimiter, which every built-in type except `box` uses.
 */
function parseArray(text: string, element: number, elementOf: ArrayElementOf): unknown[] {
  let input = text;
  if (input.startsWith('[')) {
    const eq = input.indexOf('=');
    if (eq < 0) throw new Error('unbalanced array');
    input = input.slice(eq + 1);
  }
  const parser = { input: input.trimStart(), pos: 0 };
  const result = parseArrayLevel(parser, element, elementOf);
  if (parser.pos !== parser.input.length) throw new Error('unbalanced array');
  return result;
}

type Cursor = { input: string; pos: number };

function skipSpaces(c: Cursor): void {
  while (c.pos < c.input.length && /\s/.test(c.input[c.pos]!)) c.pos++;
}

function parseArrayLevel(c: Cursor, element: number, elementOf: ArrayElementOf): unknown[] {
  if (c.input[c.pos] !== '{') throw new Error('unbalanced array');
  c.pos++;
  const items: unknown[] = [];
  skipSpaces(c);
  if (c.input[c.pos] === '}') {
    c.pos++;
    skipSpaces(c);
    return items;
  }
  for (;;) {
    skipSpaces(c);
    items.push(parseItem(c, element, elementOf));
    if (c.input[c.pos] === ',') {
      c.pos++;
      continue;
    }
    if (c.input[c.pos] !== '}') throw new Error('unbalanced array');
    c.pos++;
    skipSpaces(c);
    return items;
  }
}

function parseItem(c: Cursor, element: number, elementOf: ArrayElementOf): unknown {
  const ch = c.input[c.pos];
  if (ch === '{') return parseArrayLevel(c, element, elementOf);
  if (ch === '"') {
    c.pos++;
    let value = '';
    for (;;) {
      const next = c.input[c.pos++];
      if (next === undefined) throw new Error('unbalanced quoted string');
      if (next === '"') break;
      if (next === '\\') {
        const escaped = c.input[c.pos++];
        if (escaped === undefined) throw new Error('unbalanced quoted string');
        value += escaped;
      } else {
        value += next;
      }
    }
    skipSpaces(c);
    return pgTextToJson(value, element, elementOf);
  }
  let end = c.pos;
  while (end < c.input.length && c.input[end] !== ',' && c.input[end] !== '}') end++;
  if (end === c.input.length) throw new Error('unbalanced array');
  const raw = c.input.slice(c.pos, end).trimEnd();
  c.pos = end;
  return raw === 'NULL' ? null : pgTextToJson(raw, element, elementOf);
}
