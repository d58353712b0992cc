import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, json, problem, WEB_ORIGIN } from '../../helpers/api';
import { capturedLogs } from '../../helpers/logs';
import { mailsTo, tokenIn, waitForMail } from '../../helpers/mail';
import { clientIp, credentialsFor, googleUserinfo, signIn, tokenFromCookie, uniqueEmail } from '../../helpers/oauth';
import { testDb } from '../../helpers/users';

const PASSWORD = 'a long walk by the river';

/** A client of its own address (rate limits are per IP), as the web client posts JSON. */
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api(path, { method: 'POST', ...json(body, { Origin: WEB_ORIGIN, 'CF-Connecting-IP': clientIp(), ...headers }) });

const register = (email: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  post('/auth/email/register', { email, password: PASSWORD, name: '민지', ...extra }, headers);

/** Registers, follows the link in the mail, and returns the signed-in session. */
async function registeredUser(email = uniqueEmail('mail')) {
  expect((await register(email)).status).toBe(202);
  const response = await post('/auth/email/verify', { token: tokenIn(await waitForMail(email), '/auth/verify') });
  expect(response.status).toBe(200);
  return { email, ...credentialsFor(tokenFromCookie(response)) };
}

const userIdOf = async (headers: Record<string, string>) => ((await (await api('/auth/me', { headers })).json()) as { user_id: string }).user_id;

describe('POST /auth/email/register and /auth/email/verify', () => {
  it('mails a link that creates the account and signs in as the Google callback does, once', async () => {
    const email = uniqueEmail('new');
    const answer = await register(email, {}, { 'Accept-Language': 'ko-KR,ko;q=0.9' });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ message: 'Check your mail for a link to confirm your address' });

    const mail = await waitForMail(email);
    expect(mail.from).toBe('Omood <no-reply@omood.test>');
    expect(mail.subject).toBe('Omood 이메일 주소를 확인해 주세요');
    const token = tokenIn(mail, '/auth/verify');
    expect(token.length).toBeGreaterThanOrEqual(22); // 128 bits or more, base64url
    expect(mail.html).toContain(`href="http://127.0.0.1:3000/auth/verify?token=`);
    // Nothing is an account until the link is followed.
    expect((await post('/auth/email/login', { email, password: PASSWORD })).status).toBe(403);

    const verified = await post('/auth/email/verify', { token });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ message: 'Email verification success' });
    expect(verified.headers.get('Set-Cookie')).toMatch(/^omood_at=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=None$/);
    const me = await api('/auth/me', { headers: credentialsFor(tokenFromCookie(verified)).bearer });
    expect(await me.json()).toMatchObject({ email, name: '민지' });

    const again = await post('/auth/email/verify', { token });
    expect(again.status).toBe(400);
    expect((await problem(again)).detail).toMatch(/expired or has already been used/);
    // Only the token's digest is kept.
    const stored = await testDb().execute(sql`select token_hash from email_tokens where lower(email) = lower(${email})`);
    expect(stored.rows.map((row) => row.token_hash)).not.toContain(token);
  });

  it('answers an address that has an account exactly as a new one, and mails it "you already have an account"', async () => {
    const { email } = await registeredUser();
    const fresh = await register(uniqueEmail('other'));
    const taken = await register(email, { name: 'Someone else' });
    expect(taken.status).toBe(fresh.status);
    expect(await taken.json()).toEqual(await fresh.json());
    const mail = await waitForMail(email, 2);
    expect(mail.subject).toBe('You already have an Omood account');
    expect(mail.text).toContain('http://127.0.0.1:3000/auth/forgot');
    expect(mail.text).not.toContain('token=');
  });

  it('refuses a token that expired after 24 hours, and one never issued', async () => {
    const email = uniqueEmail('late');
    await register(email);
    const token = tokenIn(await waitForMail(email), '/auth/verify');
    await testDb().execute(sql`update email_tokens set expires_at = now() - interval '1 second' where lower(email) = lower(${email})`);
    expect((await post('/auth/email/verify', { token })).status).toBe(400);
    expect((await post('/auth/email/verify', { token: 'never-issued' })).status).toBe(400);
  });

  it('names the field of a password that is short, long, common or the address itself (422)', async () => {
    const email = uniqueEmail('weak');
    const cases: [Record<string, unknown>, string][] = [
      [{ password: 'short' }, 'body.password'],
      [{ password: 'x'.repeat(129) }, 'body.password'],
      [{ password: 'password123' }, 'body.password'],
      [{ password: email.toUpperCase() }, 'body.password'],
      [{ email: 'not-an-address' }, 'body.email'],
      [{ name: '' }, 'body.name'],
    ];
    for (const [change, field] of cases) {
      const response = await register(email, change);
      expect(response.status, JSON.stringify(change)).toBe(422);
      expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
    }
    expect(await mailsTo(email)).toEqual([]);
  });

  it('joins a Google account with the same verified address: one user, two ways in', async () => {
    const email = uniqueEmail('linked');
    const google = await signIn('google', googleUserinfo({ email, name: 'Minji Google' }));
    const viaEmail = await registeredUser(email);
    expect(await userIdOf(viaEmail.bearer)).toBe(await userIdOf(google.bearer));
  });

  it('answers 202 while the mail provider is down; the queue delivers the mail once it is back', async () => {
    const email = `${crypto.randomUUID()}@flaky.test`;
    expect((await register(email)).status).toBe(202);
    // Refused once, retried by the queue after its back-off (10 s).
    expect(tokenIn(await waitForMail(email, 1, 20_000), '/auth/verify')).toBeTruthy();
  }, 30_000);
});

describe('POST /auth/email/login', () => {
  it('signs in with the right password', async () => {
    const { email } = await registeredUser();
    const response = await post('/auth/email/login', { email: email.toUpperCase(), password: PASSWORD });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Email login success' });
    expect((await api('/auth/me', { headers: credentialsFor(tokenFromCookie(response)).bearer })).status).toBe(200);
  });

  it('answers a wrong password and an unknown address with the same 401', async () => {
    const { email } = await registeredUser();
    const wrong = await post('/auth/email/login', { email, password: 'not the password at all' });
    const unknown = await post('/auth/email/login', { email: uniqueEmail('nobody'), password: PASSWORD });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const [wrongBody, unknownBody] = [await problem(wrong), await problem(unknown)];
    expect(wrongBody.detail).toBe('Invalid email or password');
    expect(unknownBody.detail).toBe(wrongBody.detail);
    expect(wrong.headers.get('Set-Cookie')).toBeNull();
  });

  it('answers an unverified address 403 email-not-verified and mails the link again, at most once a minute', async () => {
    const email = uniqueEmail('unverified');
    await register(email);
    await waitForMail(email);
    const first = await post('/auth/email/login', { email, password: PASSWORD });
    expect(first.status).toBe(403);
    expect((await problem(first)).type).toMatch(/email-not-verified$/);
    // The first login within the minute of the sign-up mail sends nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await mailsTo(email)).toHaveLength(1);
    // A wrong password for an unverified address is the plain 401.
    expect((await post('/auth/email/login', { email, password: 'not the password at all' })).status).toBe(401);
  });

  it('limits attempts per address, whatever the IP (429 + Retry-After)', async () => {
    const { email } = await registeredUser();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await post('/auth/email/login', { email, password: 'wrong password here' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await post('/auth/email/login', { email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
  });

  it('limits attempts per IP, whatever the address', async () => {
    const ip = clientIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await post('/auth/email/login', { email: uniqueEmail('spray'), password: PASSWORD }, { 'CF-Connecting-IP': ip })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('logs neither the password nor the address', async () => {
    const { email } = await registeredUser();
    await post('/auth/email/login', { email, password: 'a wrong but secret password' });
    const logged = JSON.stringify(capturedLogs());
    expect(logged).not.toContain('a wrong but secret password');
    expect(logged).not.toContain(email);
  });
});

describe('POST /auth/password/forgot and /auth/password/reset', () => {
  it('answers 202 for any address and mails a reset link only to an account', async () => {
    const { email } = await registeredUser();
    const nobody = uniqueEmail('nobody');
    const [known, unknown] = [await post('/auth/password/forgot', { email }), await post('/auth/password/forgot', { email: nobody })];
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(await known.json()).toEqual(await unknown.json());
    expect((await waitForMail(email, 2)).subject).toBe('Reset your Omood password');
    expect(await mailsTo(nobody)).toEqual([]);
  });

  it('sets the new password, signs out every other token, and signs in; the link works once', async () => {
    const { email, bearer: before } = await registeredUser();
    await post('/auth/password/forgot', { email });
    const token = tokenIn(await waitForMail(email, 2), '/auth/reset');
    const newPassword = 'the tide comes back twice';

    const reset = await post('/auth/password/reset', { token, password: newPassword });
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({ message: 'Password reset success' });
    expect((await api('/auth/me', { headers: before })).status).toBe(401);
    expect((await api('/auth/me', { headers: credentialsFor(tokenFromCookie(reset)).bearer })).status).toBe(200);
    expect((await post('/auth/email/login', { email, password: PASSWORD })).status).toBe(401);
    expect((await post('/auth/email/login', { email, password: newPassword })).status).toBe(200);

    expect((await post('/auth/password/reset', { token, password: 'yet another long one' })).status).toBe(400);
  });

  it('refuses a reset link after its hour, and a weak new password with 422', async () => {
    const { email } = await registeredUser();
    await post('/auth/password/forgot', { email });
    const token = tokenIn(await waitForMail(email, 2), '/auth/reset');
    const weak = await post('/auth/password/reset', { token, password: '1234567890' });
    expect(weak.status).toBe(422);
    expect((await problem(weak)).errors?.[0]?.field).toBe('body.password');
    await testDb().execute(sql`update email_tokens set expires_at = now() - interval '1 second' where token_hash is not null and purpose = 'reset' and lower(email) = lower(${email})`);
    expect((await post('/auth/password/reset', { token, password: 'a fine long password' })).status).toBe(400);
  });
});

describe('PUT /user/me/password', () => {
  const change = (headers: Record<string, string>, body: unknown) => api('/user/me/password', { method: 'PUT', ...json(body, headers) });

  it('changes the password; the calling token goes on, every other one ends', async () => {
    const first = await registeredUser();
    const second = credentialsFor(tokenFromCookie(await post('/auth/email/login', { email: first.email, password: PASSWORD })));
    const response = await change(first.bearer, { current_password: PASSWORD, new_password: 'a brand new long password' });
    expect(response.status).toBe(200);
    expect((await api('/auth/me', { headers: first.bearer })).status).toBe(200);
    expect((await api('/auth/me', { headers: second.bearer })).status).toBe(401);
    expect((await post('/auth/email/login', { email: first.email, password: 'a brand new long password' })).status).toBe(200);
  });

  it('names the field of a wrong current password or a weak new one (422, never 401)', async () => {
    const { email, bearer } = await registeredUser();
    const wrong = await change(bearer, { current_password: 'not my password', new_password: 'a brand new long password' });
    expect(wrong.status).toBe(422);
    expect((await problem(wrong)).errors).toEqual([{ field: 'body.current_password', message: 'Incorrect password' }]);
    const same = await change(bearer, { current_password: PASSWORD, new_password: email });
    expect((await problem(same)).errors?.[0]?.field).toBe('body.new_password');
    expect((await api('/auth/me', { headers: bearer })).status).toBe(200);
  });

  it('refuses a caller without credentials (401)', async () => {
    expect((await change({}, { current_password: PASSWORD, new_password: 'a brand new long password' })).status).toBe(401);
  });

  it('answers a Google-only account, which has no password, with 422', async () => {
    const google = await signIn('google', googleUserinfo({ email: uniqueEmail('g'), name: 'G' }));
    const response = await change(google.bearer, { current_password: 'anything at all', new_password: 'a brand new long password' });
    expect(response.status).toBe(422);
  });
});
