// Bindings the tests read directly, and the Worker's exports for `exports.default.fetch`.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../src/index');
  }
  interface Env {
    DATABASE_URL: string;
    NEON_FETCH_ENDPOINT: string;
    UPSTASH_REDIS_REST_URL: string;
    UPSTASH_REDIS_REST_TOKEN: string;
    JWT_SECRET: string;
  }
}
