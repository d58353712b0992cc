import { describe, expect, it } from 'vitest';
import { api, json, problem } from '../../helpers/api';
import { claimsOf, googleUserinfo, signIn, uniqueEmail } from '../../helpers/oauth';
import { createTestUser } from '../../helpers/users';

const patchMe = (headers: Record<string, string>, body: unknown) => api('/user/me', { method: 'PATCH', ...json(body, headers) });

async function me(headers: Record<string, string>) {
  const response = await api('/user/me', { headers });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('PATCH /user/me', () => {
  it('changes the name and picture, answers the /user/me shape, and /auth/me shows them at once', async () => {
    const person = { email: uniqueEmail(), name: 'Kim Minji' };
    const session = await signIn('google', googleUserinfo(person));
    const response = await patchMe(session.cookie, { name: '  민지  ', picture: 'https://img.example.test/minji.png' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ...(await me(session.bearer)), name: '민지', picture: 'https://img.example.test/minji.png' });
    expect(await (await api('/auth/me', { headers: session.bearer })).json()).toEqual({
      user_id: claimsOf(session.token).sub,
      email: person.email,
      name: '민지',
      picture: 'https://img.example.test/minji.png',
    });
  });

  it('keeps fields left out, removes the picture with null, and changes nobody else', async () => {
    const [user, other] = [await createTestUser('Choi'), await createTestUser('Other')];
    expect((await patchMe(user.bearer, { picture: 'https://img.example.test/a.png' })).status).toBe(200);
    const cleared = await patchMe(user.bearer, { picture: null });
    expect(await cleared.json()).toMatchObject({ id: user.userId, name: 'Choi', picture: null });
    expect(await me(other.bearer)).toMatchObject({ id: other.userId, name: 'Other', picture: null });
  });

  it('keeps what the user set when they sign in again with a provider that says otherwise', async () => {
    const person = { id: `1${Date.now()}`, email: uniqueEmail(), name: 'From Google', picture: 'https://lh3.example.test/old.png' };
    const session = await signIn('google', googleUserinfo(person));
    expect((await patchMe(session.bearer, { name: 'Chosen name' })).status).toBe(200);

    const again = await signIn('google', googleUserinfo({ ...person, name: 'Google renamed', picture: 'https://lh3.example.test/new.png' }));
    expect(claimsOf(again.token).sub).toBe(claimsOf(session.token).sub);
    expect(await me(again.bearer)).toMatchObject({ name: 'Chosen name', picture: 'https://lh3.example.test/old.png', email: person.email });
  });

  it.each([
    [{ name: '' }, 'body.name'],
    [{ name: '   ' }, 'body.name'],
    [{ name: 'x'.repeat(51) }, 'body.name'],
    [{ name: 42 }, 'body.name'],
    [{ picture: 'http://img.example.test/a.png' }, 'body.picture'],
    [{ picture: 'javascript:alert(1)' }, 'body.picture'],
    [{ picture: 'not a url' }, 'body.picture'],
  ])('refuses %j with a 422 naming %s, and changes nothing', async (body, field) => {
    const user = await createTestUser('Unchanged');
    const response = await patchMe(user.bearer, body);
    expect(response.status).toBe(422);
    expect((await problem(response)).errors).toEqual([expect.objectContaining({ field })]);
    expect(await me(user.bearer)).toMatchObject({ name: 'Unchanged', picture: null });
  });

  it('is a 401 without credentials, and 403 for a cookie sent from another site', async () => {
    expect((await patchMe({}, { name: 'Nobody' })).status).toBe(401);
    const user = await createTestUser('Victim');
    const crossSite = await patchMe({ ...user.cookie, Origin: 'https://evil.example' }, { name: 'Hacked' });
    expect(crossSite.status).toBe(403);
    expect(await me(user.bearer)).toMatchObject({ name: 'Victim' });
  });
});

describe('GET /user/me', () => {
  it('lists every sign-in method linked and whether the address is verified', async () => {
    const email = uniqueEmail();
    const google = await signIn('google', googleUserinfo({ email, name: 'Minji' }));
    const unverified = await signIn('google', googleUserinfo({ email: uniqueEmail(), emailVerified: false }));
    expect(await me(google.bearer)).toMatchObject({ sign_in_methods: ['google'], email_verified: true, deletion_scheduled_at: null });
    expect(await me(unverified.bearer)).toMatchObject({ sign_in_methods: ['google'], email_verified: false });
  });

  it('is a 401 without credentials', async () => {
    expect((await api('/user/me')).status).toBe(401);
  });
});
