import { z } from '@hono/zod-openapi';

const isoInstant = z.string().openapi({ description: 'An instant in UTC', example: '2026-12-07T09:30:00.000Z' });

export const SIGN_IN_METHODS = ['google', 'kakao', 'naver', 'email'] as const;

export const UserResponseSchema = z
  .object({
    id: z.string(),
    provider: z.string().nullable().openapi({ description: 'The identity the user first signed in with', example: 'google' }),
    provider_id: z.string().nullable().openapi({ description: "That identity's account id at the provider" }),
    email: z.string().nullable(),
    name: z.string().nullable(),
    picture: z.string().nullable().openapi({ description: 'Profile image URL' }),
    email_verified: z.boolean().openapi({ description: 'Whether a provider (or our own link) has confirmed that the user owns `email`' }),
    sign_in_methods: z.array(z.enum(SIGN_IN_METHODS)).openapi({ description: 'Every way of signing in linked to the account', example: ['email', 'google'] }),
    created_at: isoInstant,
    deletion_scheduled_at: isoInstant.nullable().openapi({ description: 'When the user asked for the account to be deleted; null for an account in use' }),
  })
  .openapi('UserResponse');

export const UpdateProfileSchema = z
  .object({
    name: z.string().trim().min(1, { error: 'Use at least 1 character' }).max(50, { error: 'Use at most 50 characters' }).optional().openapi({ example: '민지' }),
    picture: z
      .url({ protocol: /^https$/, error: 'Expected an https URL' })
      .max(2048)
      .nullable()
      .optional()
      .openapi({ description: 'An https image URL, or null to remove it', example: 'https://images.example.com/minji.png' }),
  })
  .openapi('ProfileUpdate');

export const DeleteAccountSchema = z
  .object({
    confirm: z.string().min(1).max(254).openapi({
      description: "The account's email address (any case), or its user id when the account has no address",
      example: 'minji@example.com',
    }),
    immediately: z.boolean().default(false).openapi({ description: 'Skip the grace period: the account is purged at the next cron run and cannot be restored' }),
  })
  .openapi('AccountDeletion');

export const DeletionScheduledSchema = z
  .object({
    deletion_scheduled_at: isoInstant,
    purge_after: isoInstant.openapi({ description: 'Until then, signing in again restores the account untouched; from then on it is erased' }),
  })
  .openapi('DeletionScheduled');
