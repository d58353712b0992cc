import { sha256Hex, toBase64Url } from '../../lib/encoding';
import { ApiError, validationFailed } from '../../lib/problem';
import { newUuid } from '../../lib/ids';
import { queueMail } from '../../platform/mail';
import type { Services } from '../../platform/services';
import {
  claimMailSlot,
  completeRegistration,
  findEmailSignIn,
  findPasswordCredential,
  resetPassword as storeNewPassword,
  storeRegistration,
  storeResetToken,
  updatePassword,
} from './email-repository';
import { alreadyRegisteredMail, knownLanguage, mailLanguage, passwordResetMail, verificationMail, type MailLanguage } from './mails';
import { hashPassword, spendPasswordCheck, verifyPassword } from './passwords';
import { addressDigest, countSignInAttempt, signOutEverywhereBut, startSignIn } from './service';

const VERIFY_TOKEN_TTL_SECONDS = 24 * 60 * 60;
const RESET_TOKEN_TTL_SECONDS = 60 * 60;

/** A token for a mailed link: 256 random bits, base64url; only its SHA-256 is stored. */
async function mailedToken() {
  const token = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { token, tokenHash: await sha256Hex(token) };
}

const linkTo = (services: Services, path: string, token: string) => `${services.config.appUrl}${path}?token=${encodeURIComponent(token)}`;

const expiredLink = () => new ApiError('bad_request', 'This link has expired or has already been used; ask for a new one');

/**
 * Sign-up: answers the same whether or not the address has an account (the caller says 202 in
 * both cases). A new address gets a verification link; nothing is an account until it is
 * followed. An address with an account gets a "you already have an account" mail instead. The
 * password is hashed either way, so the answer's time says nothing either.
 */
export async function register(services: Services, input: { email: string; password: string; name: string; language: MailLanguage }) {
  const passwordHash = hashPassword(input.password, services.config.auth.passwordLogN);
  const { token, tokenHash } = await mailedToken();
  const stored = await storeRegistration(services.db, { tokenHash, email: input.email, passwordHash, name: input.name, language: input.language, ttlSeconds: VERIFY_TOKEN_TTL_SECONDS });
  if (!(await claimMailSlot(services.redis, stored ? 'verify' : 'registered', await addressDigest(input.email)))) return;
  const mail = stored
    ? verificationMail(input.email, input.language, input.name, linkTo(services, '/auth/verify', token))
    : alreadyRegisteredMail(input.email, input.language, services.config.appUrl);
  await queueMail(services.jobs, mail);
}

/** Follows a verification link: the account exists (or the address joins the user who already had it) and is signed in. */
export async function verifyEmail(services: Services, token: string) {
  const user = await completeRegistration(services.db, await sha256Hex(token), newUuid());
  if (!user) throw expiredLink();
  return startSignIn(services, user);
}

/**
 * Email and password sign-in, limited per address as well as per IP (the route's middleware).
 * An unknown address and a wrong password are the same 401, after the same work. An address whose
 * registration is waiting for its link, with the right password, is 403 and gets the link again
 * (at most once a minute).
 */
export async function emailLogin(services: Services, input: { email: string; password: string }, acceptLanguage: string | undefined) {
  // The address's count and its lookup go out together: one round trip of waiting, not two.
  const [, found] = await Promise.all([
    countSignInAttempt(services, `email:${await addressDigest(input.email)}`),
    findEmailSignIn(services.db, input.email),
  ]);
  if (found.account && verifyPassword(input.password, found.account.passwordHash)) return startSignIn(services, found.account);
  if (found.pending && verifyPassword(input.password, found.pending.passwordHash)) {
    await resendVerification(services, input.email, found.pending, acceptLanguage);
    throw new ApiError('email_not_verified', 'Confirm your email address first: we have sent you the link again');
  }
  if (!found.account && !found.pending) spendPasswordCheck(input.password, services.config.auth.passwordLogN);
  throw new ApiError('unauthorized', 'Invalid email or password');
}

async function resendVerification(services: Services, email: string, pending: { passwordHash: string; name: string | null; language: string | null }, acceptLanguage: string | undefined) {
  if (!(await claimMailSlot(services.redis, 'verify', await addressDigest(email)))) return;
  const language = mailLanguage(knownLanguage(pending.language), acceptLanguage);
  const { token, tokenHash } = await mailedToken();
  const stored = await storeRegistration(services.db, { tokenHash, email, passwordHash: pending.passwordHash, name: pending.name ?? '', language, ttlSeconds: VERIFY_TOKEN_TTL_SECONDS });
  if (stored) await queueMail(services.jobs, verificationMail(email, language, pending.name, linkTo(services, '/auth/verify', token)));
}

/** "Forgot password": a reset link when the address has an email account, nothing otherwise; the caller answers 202 either way. */
export async function forgotPassword(services: Services, email: string, language: MailLanguage) {
  if (!(await claimMailSlot(services.redis, 'reset', await addressDigest(email)))) return;
  const { token, tokenHash } = await mailedToken();
  const account = await storeResetToken(services.db, email, tokenHash, RESET_TOKEN_TTL_SECONDS);
  if (!account) return;
  await queueMail(services.jobs, passwordResetMail(email, knownLanguage(account.language) ?? language, account.name, linkTo(services, '/auth/reset', token)));
}

/** Sets the new password from a reset link, signs out every device, and signs this one in. */
export async function resetPassword(services: Services, input: { token: string; password: string }) {
  const user = await storeNewPassword(services.db, await sha256Hex(input.token), hashPassword(input.password, services.config.auth.passwordLogN));
  if (!user) throw expiredLink();
  const signInId = newUuid();
  await signOutEverywhereBut(services, user.id, signInId);
  return startSignIn(services, user, signInId);
}

/** Changes the caller's password; every other sign-in of theirs ends, the calling one goes on. */
export async function changePassword(services: Services, caller: { userId: string; signInId: string }, input: { current_password: string; new_password: string }) {
  const credential = await findPasswordCredential(services.db, caller.userId);
  // A valid token of a deleted account: signed out, as everywhere.
  if (!credential) throw new ApiError('unauthorized', 'Invalid token');
  if (!credential.password_hash || !verifyPassword(input.current_password, credential.password_hash)) {
    // 422, not 401: the web client signs out on any 401.
    throw validationFailed([{ field: 'body.current_password', message: credential.password_hash ? 'Incorrect password' : 'This account has no password; set one with "forgot password"' }]);
  }
  if (credential.email && input.new_password.trim().toLowerCase() === credential.email.toLowerCase()) {
    throw validationFailed([{ field: 'body.new_password', message: 'Your password must not be your email address' }]);
  }
  await updatePassword(services.db, caller.userId, hashPassword(input.new_password, services.config.auth.passwordLogN));
  await signOutEverywhereBut(services, caller.userId, caller.signInId);
}
