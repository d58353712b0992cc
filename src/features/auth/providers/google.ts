import { z } from 'zod';
import { emptyToNull, type OAuthProvider } from './oauth-client';

/** Google's v2 userinfo (`oauth2/v2/userinfo`); email fields come with the `email` scope. */
const GoogleUserinfo = z.object({
  id: z.string().min(1),
  email: z.string().optional(),
  verified_email: z.boolean().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

export const google: OAuthProvider = {
  name: 'google',
  label: 'Google',
  tokenRequestFields: (client) => ({ client_id: client.clientId, client_secret: client.clientSecret, redirect_uri: client.redirectUri }),
  readProfile(body) {
    const parsed = GoogleUserinfo.safeParse(body);
    if (!parsed.success) return undefined;
    const { id, email, verified_email, name, picture } = parsed.data;
    return {
      providerId: id,
      email: emptyToNull(email),
      emailVerified: Boolean(email) && verified_email === true,
      name: emptyToNull(name),
      picture: emptyToNull(picture),
    };
  },
};
