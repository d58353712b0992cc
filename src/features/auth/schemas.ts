import { z } from '@hono/zod-openapi';
import { COMMON_PASSWORDS } from './common-passwords';

const code = z.string().min(1).openapi({ description: "The authorization code from the provider's redirect", example: '4/0AX4XfWh…' });

export const AuthorizationCodeSchema = z.object({ code }).openapi('AuthorizationCode');

export const NaverAuthorizationCodeSchema = z
  .object({
    code,
    state: z.string().min(1).openapi({ description: 'The `state` Naver echoed in the redirect; its token endpoint requires it', example: 'b7f0c2…' }),
  })
  .openapi('NaverAuthorizationCode');

export const MessageSchema = z.object({ message: z.string() }).openapi('Message', { example: { message: 'Google callback success' } });

export const SignedInSchema = z
  .object({
    message: z.string(),
    restored: z.literal(true).optional().openapi({ description: 'Present when this sign-in took the account back from a scheduled deletion' }),
  })
  .openapi('SignedIn', { example: { message: 'Google callback success' } });

const profileFields = {
  email: z.string().nullable(),
  name: z.string().nullable(),
  picture: z.string().nullable().openapi({ description: 'Profile image URL' }),
};

export const MeSchema = z
  .object({ user_id: z.string().openapi({ description: 'The token subject: the user id' }), ...profileFields })
  .openapi('Me');

// ---- Email and password accounts ----

const email = z.email({ error: 'Expected an email address' }).max(254).openapi({ example: 'minji@example.com' });

/** 10 to 128 characters and not among the most common; "not the address itself" needs the address (see `notTheEmail`). */
const password = z
  .string()
  .min(10, { error: 'Use at least 10 characters' })
  .max(128, { error: 'Use at most 128 characters' })
  .refine((value) => !COMMON_PASSWORDS.has(value.toLowerCase()), { error: 'This password is too common; choose another' })
  .openapi({ description: '10 to 128 characters; not your email address and not a common password', example: 'a long walk by the river' });

const language = z.enum(['ko', 'en']).openapi({ description: 'The language of the mails; by default the Accept-Language header’s, else English' });

const notTheEmail = (field: 'password' | 'new_password') => (value: { email?: string; [key: string]: unknown }, context: z.RefinementCtx) => {
  const chosen = value[field];
  if (typeof chosen === 'string' && value.email && chosen.trim().toLowerCase() === value.email.trim().toLowerCase()) {
    context.addIssue({ code: 'custom', path: [field], message: 'Your password must not be your email address' });
  }
};

export const RegisterSchema = z
  .object({ email, password, name: z.string().trim().min(1).max(50).openapi({ example: '민지' }), language: language.optional() })
  .superRefine(notTheEmail('password'))
  .openapi('EmailRegistration');

const mailedToken = z.string().min(1).max(200).openapi({ description: 'The token from the link in the mail', example: 'x4V2…' });

export const EmailTokenSchema = z.object({ token: mailedToken }).openapi('EmailVerification');

export const EmailLoginSchema = z.object({ email, password: z.string().min(1).max(128) }).openapi('EmailLogin');

export const ForgotPasswordSchema = z.object({ email, language: language.optional() }).openapi('ForgotPassword');

export const ResetPasswordSchema = z.object({ token: mailedToken, password }).openapi('PasswordReset');

export const ChangePasswordSchema = z
  .object({ current_password: z.string().min(1).max(128), new_password: password })
  .openapi('PasswordChange');
