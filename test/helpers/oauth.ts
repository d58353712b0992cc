import { SignJWT } from 'jose';
import { env } from 'cloudflare:workers';
import { encodeCode, type CodeScenario } from '../oauth-stand-in/authorization-code';
import { api, json, WEB_ORIGIN } from './api';

export type Provider = 'google' | 'kakao' | 'naver';

/** Who signs in, independent of any provider's wording. */
export interface Person {
  id?: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
  picture?: string;
}

const digits = (length: number) => Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte) => byte % 10).join('');

export const uniqueEmail = (label = 'person') => `${label}-${crypto.randomUUID()}@example.test`;

/** A client address of its own, so rate-limit counting in one test never touches another. */
export const clientIp = () =>
  `2001:db8:${Array.from(crypto.getRandomValues(new Uint16Array(6)), (group) => group.toString(16)).join(':')}`;

/** Google's v2 userinfo body. */
export function googleUserinfo(person: Person = {}) {
  return {
    id: person.id ?? `1${digits(20)}`,
    ...(person.email ? { email: person.email, verified_email: person.emailVerified ?? true } : {}),
    ...(person.name ? { name: person.name, given_name: person.name.split(' ')[0] } : {}),
    picture: person.picture ?? 'https://lh3.googleusercontent.test/a/default-user',
  };
}

/** Kakao's /v2/user/me body; `emailValid` defaults to true. */
export function kakaoUserinfo(person: Person & { emailValid?: boolean } = {}) {
  return {
    id: Number(person.id ?? `3${digits(9)}`),
    connected_at: '2026-11-01T09:00:00Z',
    kakao_account: {
      profile_nickname_needs_agreement: false,
      profile_image_needs_agreement: false,
      profile: {
        nickname: person.name ?? '카카오 사용자',
        thumbnail_image_url: 'http://k.kakaocdn.test/thumb.jpg',
        profile_image_url: person.picture ?? 'http://k.kakaocdn.test/profile.jpg',
        is_default_image: false,
      },
      ...(person.email
        ? {
            has_email: true,
            email_needs_agreement: false,
            is_email_valid: person.emailValid ?? true,
            is_email_verified: person.emailVerified ?? true,
            email: person.email,
          }
        : { has_email: false }),
    },
  };
}

/** Naver's /v1/nid/me body. */
export function naverUserinfo(person: Person = {}) {
  return {
    resultcode: '00',
    message: 'success',
    response: {
      id: person.id ?? `nv-${crypto.randomUUID()}`,
      nickname: 'naverfan',
      ...(person.name ? { name: person.name } : {}),
      ...(person.email ? { email: person.email } : {}),
      profile_image: person.picture ?? 'https://phinf.pstatic.test/profile.png',
    },
  };
}

export const userinfoFor: Record<Provider, (person?: Person) => unknown> = {
  google: googleUserinfo,
  kakao: kakaoUserinfo,
  naver: naverUserinfo,
};

/** A code the stand-in redeems once, answering its userinfo with `userinfo`. */
export const authorizationCode = (userinfo: unknown, scenario: Omit<CodeScenario, 'nonce' | 'userinfo'> = {}) =>
  encodeCode({ nonce: crypto.randomUUID(), userinfo, ...scenario });

export function callbackRequest(provider: Provider, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api(`/auth/${provider}/callback`, {
    method: 'POST',
    ...json(body, { Origin: WEB_ORIGIN, 'CF-Connecting-IP': clientIp(), ...headers }),
  });
}

/** The whole web flow for `provider`, as the real client does it; Naver's state is made up here. */
export function signInRequest(provider: Provider, userinfo: unknown, headers: Record<string, string> = {}) {
  const state = crypto.randomUUID();
  const code = authorizationCode(userinfo, provider === 'naver' ? { state } : {});
  return callbackRequest(provider, provider === 'naver' ? { code, state } : { code }, headers);
}

export function tokenFromCookie(response: Response): string {
  const token = response.headers.get('Set-Cookie')?.match(/omood_at=([^;]+)/)?.[1];
  if (!token) throw new Error(`no omood_at cookie in ${response.status} response`);
  return token;
}

export interface SignedIn {
  token: string;
  bearer: Record<string, string>;
  cookie: Record<string, string>;
}

export const credentialsFor = (token: string): SignedIn => ({
  token,
  bearer: { Authorization: `Bearer ${token}` },
  cookie: { Cookie: `omood_at=${token}`, Origin: WEB_ORIGIN },
});

/** Signs in and returns the session, failing loudly when sign-in does not succeed. */
export async function signIn(provider: Provider, userinfo: unknown): Promise<SignedIn> {
  const response = await signInRequest(provider, userinfo);
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return credentialsFor(tokenFromCookie(response));
}

/** Any token, signed HS256 with the Worker's secret unless another is given. */
export function mintToken(claims: Record<string, unknown>, secret: string = env.JWT_SECRET) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

export const epochSeconds = () => Math.floor(Date.now() / 1000);

/** Reads a JWT's claims without verifying it. */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/'))) as Record<string, unknown>;
}
