import { defineConfig } from 'drizzle-kit';

// `npm run db:migrate` applies drizzle/ to DATABASE_URL; in production use Neon's direct (unpooled) URL.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/omood_dev' },
});
