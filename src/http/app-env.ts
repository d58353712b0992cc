import type { Claim } from '../platform/idempotency';
import type { Services } from '../platform/services';

export type { Services };

/** The verified caller, set by the auth guard on protected routes. */
export interface Caller {
  userId: string;
  /** The sign-in this token descends from (shared by its renewals); revoking it logs the chain out. */
  signInId: string;
  /** Seconds since epoch. */
  expiresAt: number;
  /** When that sign-in happened (seconds since epoch): renewals stop at the maximum lifetime. */
  signedInAt: number;
  via: 'cookie' | 'bearer';
}

/** A write's Idempotency-Key, once the auth guard has claimed it (http/idempotency.ts). */
export interface Idempotency {
  userId: string;
  /** The Redis key of this user's Idempotency-Key. */
  key: string;
  claim?: Claim;
  /** Set once the request's digest is taken and it runs under its claim. */
  digest?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    services: Services;
    caller: Caller;
    /** Values of the keys a route asked the auth guard to read in its one Redis round trip. */
    prefetched: (string | null)[];
    /** Set by the auth guard on a write sent with an Idempotency-Key. */
    idempotency?: Idempotency;
  };
}
