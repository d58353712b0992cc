// The stand-in's authorization codes carry their own scenario: what the provider should answer
// when the Worker redeems them. Tests mint them (test/helpers/oauth.ts), the stand-in reads them
// (server.ts). Plain Web APIs only, so this file runs both in Node and in workerd.

export interface CodeScenario {
  /** Makes each code unique: like real ones, a code can be redeemed once. */
  nonce: string;
  /** The userinfo body to answer with, in the provider's own shape. */
  userinfo: unknown;
  /** An endpoint that fails instead, as when the provider is down: a 503, or a connection dropped mid-request. */
  outage?: { endpoint: 'token' | 'userinfo'; kind: 'unavailable' | 'disconnect' };
  /** Naver: the `state` the authorize step was given; its token endpoint wants the same back. */
  state?: string;
}

const PREFIX = 'stand-in.';

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

const fromBase64Url = (value: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(value.replaceAll('-', '+').replaceAll('_', '/')), (char) => char.charCodeAt(0)));

export const encodeCode = (scenario: CodeScenario) => PREFIX + toBase64Url(JSON.stringify(scenario));

/** Undefined for anything that is not a code minted by encodeCode: the provider rejects it. */
export function decodeCode(code: string): CodeScenario | undefined {
  if (!code.startsWith(PREFIX)) return undefined;
  try {
    const scenario = JSON.parse(fromBase64Url(code.slice(PREFIX.length))) as Partial<CodeScenario>;
    return typeof scenario.nonce === 'string' && 'userinfo' in scenario ? (scenario as CodeScenario) : undefined;
  } catch {
    return undefined;
  }
}
