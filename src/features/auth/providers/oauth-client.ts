import { z } from 'zod';
import type { OAuthClientConfig } from '../../../env';
import { ApiError } from '../../../lib/problem';

export type ProviderName = 'google' | 'kakao' | 'naver';

/** What sign-in needs from a provider's profile, whatever shape the provider answers in. */
export interface ProviderProfile {
  providerId: string;
  email: string | null;
  /** Only a verified address may link this identity to an existing user. */
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
}

export interface AuthorizationGrant {
  code: string;
  state?: string;
}

export interface OAuthProvider {
  readonly name: ProviderName;
  /** As users know it, for messages. */
  readonly label: string;
  /** Form fields of the code exchange besides `grant_type` and `code`. */
  tokenRequestFields(client: OAuthClientConfig, grant: AuthorizationGrant): Record<string, string>;
  /** The profile in the userinfo answer; undefined when the answer is not this provider's shape. */
  readProfile(body: unknown): ProviderProfile | undefined;
}

/** A provider that hangs must not hold the sign-in request until the platform kills it. */
const PROVIDER_TIMEOUT_MS = 10_000;

const TokenGrant = z.object({ access_token: z.string().min(1) });
// Google and Kakao refuse with 4xx; Naver answers 200 with the same `error` field.
const TokenRefusal = z.object({ error: z.string() });
// Only a plain OAuth error code of the provider's is repeated to the caller, never free text.
const ERROR_CODE = /^[a-z_]{1,40}$/i;

export const emptyToNull = (value: string | undefined) => (value ? value : null);

/** The caller only learns that the provider failed; the log says how. */
function providerFailure(provider: OAuthProvider, stage: string, reason: string, detail: string) {
  console.warn(JSON.stringify({ level: 'warn', provider: provider.name, stage, reason }));
  return new ApiError('bad_gateway', detail);
}

const unavailable = (provider: OAuthProvider, stage: string, reason: string) =>
  providerFailure(provider, stage, reason, `${provider.label} is unavailable right now; try again`);

const unexpected = (provider: OAuthProvider, stage: string, status: number) =>
  providerFailure(provider, stage, `unexpected answer with status ${status}`, `${provider.label} answered the ${stage} unexpectedly`);

async function call(provider: OAuthProvider, stage: string, url: string, init: RequestInit) {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
    // Read here so a connection that drops mid-body counts as the provider being unavailable.
    const text = await response.text();
    return { status: response.status, body: parseJson(text) };
  } catch (error) {
    throw unavailable(provider, stage, String(error));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function exchangeCode(provider: OAuthProvider, client: OAuthClientConfig, grant: AuthorizationGrant): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: grant.code, ...provider.tokenRequestFields(client, grant) });
  const { status, body } = await call(provider, 'code exchange', client.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form,
  });
  if (status >= 500) throw unavailable(provider, 'code exchange', `status ${status}`);
  const refusal = TokenRefusal.safeParse(body);
  if ((status >= 400 && status < 500) || refusal.success) {
    const reason = refusal.success && ERROR_CODE.test(refusal.data.error) ? ` (${refusal.data.error})` : '';
    throw new ApiError('bad_request', `${provider.label} rejected the authorization code${reason}`);
  }
  const granted = TokenGrant.safeParse(body);
  if (status !== 200 || !granted.success) throw unexpected(provider, 'code exchange', status);
  return granted.data.access_token;
}

async function readUserinfo(provider: OAuthProvider, client: OAuthClientConfig, accessToken: string): Promise<ProviderProfile> {
  const { status, body } = await call(provider, 'profile request', client.userinfoUrl, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
  });
  if (status >= 500) throw unavailable(provider, 'profile request', `status ${status}`);
  // Refusing the access token it has just issued is the provider's fault, not the user's.
  const profile = status === 200 ? provider.readProfile(body) : undefined;
  if (!profile) throw unexpected(provider, 'profile request', status);
  return profile;
}

/**
 * The authorization-code flow's server half: code → access token → profile. A code the provider
 * refuses is the caller's problem (400); a provider that is down or answers nonsense is 502.
 */
export async function fetchProviderProfile(provider: OAuthProvider, client: OAuthClientConfig, grant: AuthorizationGrant) {
  const accessToken = await exchangeCode(provider, client, grant);
  return readUserinfo(provider, client, accessToken);
}
