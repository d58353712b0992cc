import { google } from './google';
import { kakao } from './kakao';
import { naver } from './naver';
import type { OAuthProvider, ProviderName } from './oauth-client';

export const providers: Record<ProviderName, OAuthProvider> = { google, kakao, naver };

export { fetchProviderProfile } from './oauth-client';
export type { AuthorizationGrant, ProviderName, ProviderProfile } from './oauth-client';
