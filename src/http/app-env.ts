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

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    services: Services;
    caller: Caller;
    /** Values of the keys a route asked the auth guard to read in its one Redis round trip. */
    prefetched: (string | null)[];
  };
}
