import { z } from 'zod';
import { emptyToNull, type OAuthProvider } from './oauth-client';

/** Kakao's `/v2/user/me`; every `kakao_account` field is absent until the user consents to it. */
const KakaoUser = z.object({
  // A JSON number (int64); today's ids are far below 2^53, so they survive JSON.parse intact.
  id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
  kakao_account: z
    .object({
      email: z.string().optional(),
      is_email_valid: z.boolean().optional(),
      is_email_verified: z.boolean().optional(),
      profile: z.object({ nickname: z.string().optional(), profile_image_url: z.string().optional() }).optional(),
    })
    .optional(),
});

export const kakao: OAuthProvider = {
  name: 'kakao',
  label: 'Kakao',
  tokenRequestFields: (client) => ({
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    // Kakao checks a client secret only when the app has one enabled.
    ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
  }),
  readProfile(body) {
    const parsed = KakaoUser.safeParse(body);
    if (!parsed.success) return undefined;
    const account = parsed.data.kakao_account;
    const email = emptyToNull(account?.email);
    return {
      providerId: String(parsed.data.id),
      email,
      // An address Kakao verified once but that has since become invalid (taken by someone else) proves nothing.
      emailVerified: email !== null && account?.is_email_verified === true && account.is_email_valid === true,
      name: emptyToNull(account?.profile?.nickname),
      picture: emptyToNull(account?.profile?.profile_image_url),
    };
  },
};
