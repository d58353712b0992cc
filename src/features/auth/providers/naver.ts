import { z } from 'zod';
import { emptyToNull, type OAuthProvider } from './oauth-client';

/** Naver's `/v1/nid/me`: a `resultcode` envelope around `response`; fields depend on consent. */
const NaverMe = z.object({
  resultcode: z.literal('00'),
  response: z.object({
    id: z.string().min(1),
    email: z.string().optional(),
    name: z.string().optional(),
    nickname: z.string().optional(),
    profile_image: z.string().optional(),
  }),
});

export const naver: OAuthProvider = {
  name: 'naver',
  label: 'Naver',
  // Naver's token request carries `state` (echoed from the authorize step) instead of `redirect_uri`.
  tokenRequestFields: (client, grant) => ({ client_id: client.clientId, client_secret: client.clientSecret, state: grant.state ?? '' }),
  readProfile(body) {
    const parsed = NaverMe.safeParse(body);
    if (!parsed.success) return undefined;
    const { id, email, name, nickname, profile_image } = parsed.data.response;
    return {
      providerId: id,
      email: emptyToNull(email),
      // Naver reports no verification status for the address, so it never links accounts.
      emailVerified: false,
      name: emptyToNull(name) ?? emptyToNull(nickname),
      picture: emptyToNull(profile_image),
    };
  },
};
