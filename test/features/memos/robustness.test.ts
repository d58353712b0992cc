import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../../src/db/schema';
import { problem } from '../../helpers/api';
import { createTestUser, testDb } from '../../helpers/users';
import { requestUpload } from './helpers';

describe('writes of a deleted account', () => {
  it('POST /memo/uploads answers 401, as POST /memo does, not a foreign-key 500', async () => {
    const user = await createTestUser();
    await testDb().delete(users).where(eq(users.id, user.userId));
    const response = await requestUpload(user, { content_type: 'image/png', size: 1000 });
    expect(response.status).toBe(401);
    expect((await problem(response)).detail).toBe('Invalid token');
  });
});
