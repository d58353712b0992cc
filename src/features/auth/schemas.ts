import { z } from '@hono/zod-openapi';

const code = z.string().min(1).openapi({ description: "The authorization code from the provider's redirect", example: '4/0AX4XfWh…' });

export const AuthorizationCodeSchema = z.object({ code }).openapi('AuthorizationCode');

export const NaverAuthorizationCodeSchema = z
  .object({
    code,
    state: z.string().min(1).openapi({ description: 'The `state` Naver echoed in the redirect; its token endpoint requires it', example: 'b7f0c2…' }),
  })
  .openapi('NaverAuthorizationCode');

export const MessageSchema = z.object({ message: z.string() }).openapi('Message', { example: { message: 'Google callback success' } });

const profileFields = {
  email: z.string().nullable(),
  name: z.string().nullable(),
  picture: z.string().nullable().openapi({ description: 'Profile image URL' }),
};

export const MeSchema = z
  .object({ user_id: z.string().openapi({ description: 'The token subject: the user id' }), ...profileFields })
  .openapi('Me');

export const UserResponseSchema = z
  .object({
    id: z.string(),
    provider: z.string().nullable().openapi({ description: 'The identity the user first signed in with', example: 'google' }),
    provider_id: z.string().nullable().openapi({ description: "That identity's account id at the provider" }),
    ...profileFields,
  })
  .openapi('UserResponse');
