import { describe, expect, it } from 'vitest';
import { closeAccount, liftSuspension, reopenAccount, revokeSignInsBefore, suspendAccount } from '../../../src/features/auth';
import { createServices } from '../../../src/platform/services';
import { api, env, json, problem } from '../../helpers/api';
import { sessionInput } from '../../helpers/sessions';
import { createTestUser } from '../../helpers/users';

const redis = () => createServices(env).redis;
const now = () => Math.floor(Date.now() / 1000);
const newSession = (headers: Record<string, string>) => api('/session', { method: 'POST', ...json(sessionInput(), headers) });

describe("the account's state, checked by the auth guard on every route", () => {
  it('a closed account is 401 on reads and writes, and open again once reopened', async () => {
    const user = await createTestUser();
    await closeAccount(redis(), user.userId);
    expect((await api('/categories/custom', { headers: user.bearer })).status).toBe(401);
    expect((await api('/auth/me', { headers: user.bearer })).status).toBe(401);
    const write = await newSession(user.bearer);
    expect(write.status).toBe(401);
    expect((await problem(write)).detail).toBe('Invalid token');

    await reopenAccount(redis(), user.userId);
    expect((await api('/categories/custom', { headers: user.bearer })).status).toBe(200);
  });

  it('a suspension is 403 account-suspended with its reason, until it ends or is lifted', async () => {
    const user = await createTestUser();
    await suspendAccount(redis(), user.userId, now() + 3600, 'spam');
    const read = await api('/categories/custom', { headers: user.bearer });
    expect(read.status).toBe(403);
    const body = await problem(read);
    expect(body.type).toMatch(/account-suspended$/);
    expect(body.detail).toContain('spam');
    expect((await newSession(user.bearer)).status).toBe(403);

    await liftSuspension(redis(), user.userId);
    expect((await api('/categories/custom', { headers: user.bearer })).status).toBe(200);

    await suspendAccount(redis(), user.userId, now() - 1, 'over');
    expect((await api('/categories/custom', { headers: user.bearer })).status).toBe(200);
  });

  it('sign-ins revoked wholesale are 401, except the one kept', async () => {
    const user = await createTestUser();
    const other = await createTestUser();
    // Test users carry legacy tokens, whose sign-in is taken to be one lifetime before expiry.
    await revokeSignInsBefore(redis(), user.userId, now() + 1, 3600, 'some-other-sign-in');
    expect((await api('/categories/custom', { headers: user.bearer })).status).toBe(401);
    expect((await api('/categories/custom', { headers: other.bearer })).status).toBe(200);

    await revokeSignInsBefore(redis(), other.userId, now() - 7200, 3600);
    expect((await api('/categories/custom', { headers: other.bearer })).status).toBe(200);
  });
});
