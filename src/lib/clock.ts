/**
 * Client timestamps are kept as sent (the contract stores them), but timing never trusts a client
 * clock further than this from the server's: sessions, reviews and mood check-ins share the rule.
 */
export const MAX_CLIENT_CLOCK_SKEW_MS = 2 * 60_000;
