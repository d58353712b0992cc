import { drizzle } from 'drizzle-orm/neon-http';
import { neon, neonConfig } from '@neondatabase/serverless';
import { SignJWT } from 'jose';
import { env } from 'cloudflare:workers';
import { users } from '../../src/db/schema';
import { WEB_ORIGIN } from './api';

export function testDb() {
  neonConfig.fetchEndpoint = env.NEON_FETCH_ENDPOINT;
  return drizzle({ client: neon(env.DATABASE_URL) });
}

export interface TestUser {
  userId: string;
  token: string;
  /** Headers a bearer client sends. */
  bearer: Record<string, string>;
  /** Headers the web client sends: the cookie plus its Origin (required for state changes). */
  cookie: Record<string, string>;
}

/**
 * A user row in the real database and a token in the original backend's shape (`{sub, exp}`,
 * HS256 with JWT_SECRET), which the API must accept: tests of other features need no OAuth dance.
 */
export async function createTestUser(name = 'Test User'): Promise<TestUser> {
  const userId = crypto.randomUUID();
  await testDb().insert(users).values({ id: userId, email: `${userId}@example.test`, name });
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
    .sign(new TextEncoder().encode(env.JWT_SECRET));
  return {
    userId,
    token,
    bearer: { Authorization: `Bearer ${token}` },
    cookie: { Cookie: `omood_at=${token}`, Origin: WEB_ORIGIN },
  };
}
