// A local stand-in for the Google, Kakao and Naver OAuth endpoints the Worker calls: the
// authorization-code exchange and the userinfo request. It checks what the real providers check
// (grant type, client credentials, redirect_uri or Naver's state, a code redeemable once, the
// bearer access token) and answers, success or refusal, in each provider's own shapes and statuses.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeCode } from './authorization-code.ts';
import type { CodeScenario } from './authorization-code.ts';

type ProviderName = 'google' | 'kakao' | 'naver';

interface Reply {
  status: number;
  body: unknown;
}

/** Starts an answer and drops the connection halfway through its body. */
const DISCONNECT = 'disconnect';
type Outcome = Reply | typeof DISCONNECT;

interface Client {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** How one provider words its answers; the exchange rules themselves are shared. */
interface Dialect {
  tokenPath: string;
  userinfoPath: string;
  client: Client;
  /** Naver's token request carries `state` and no `redirect_uri`. */
  checksState: boolean;
  invalidClient: Reply;
  invalidGrant: (code: string) => Reply;
  /** The code was issued for another redirect_uri (Naver: another state). */
  bindingMismatch: Reply;
  unsupportedGrant: Reply;
  granted: (accessToken: string) => Reply;
  invalidAccessToken: Reply;
}

const WEB = 'http://127.0.0.1:3000';
const clientOf = (name: ProviderName): Client => ({
  clientId: `${name}-stand-in-client`,
  clientSecret: `${name}-stand-in-secret`,
  redirectUri: `${WEB}/auth/${name}/callback`,
});

const dialects: Record<ProviderName, Dialect> = {
  google: {
    tokenPath: '/google/token',
    userinfoPath: '/google/oauth2/v2/userinfo',
    client: clientOf('google'),
    checksState: false,
    invalidClient: { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } },
    invalidGrant: () => ({ status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } }),
    bindingMismatch: { status: 400, body: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' } },
    unsupportedGrant: { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' } },
    granted: (accessToken) => ({
      status: 200,
      body: {
        access_token: accessToken,
        expires_in: 3599,
        scope: 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile',
        token_type: 'Bearer',
        id_token: `stand-in-id-token.${randomToken()}`,
      },
    }),
    invalidAccessToken: {
      status: 401,
      body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } },
    },
  },
  kakao: {
    tokenPath: '/kakao/oauth/token',
    userinfoPath: '/kakao/v2/user/me',
    client: clientOf('kakao'),
    checksState: false,
    invalidClient: { status: 401, body: { error: 'invalid_client', error_description: 'Bad client credentials', error_code: 'KOE010' } },
    invalidGrant: (code) => ({
      status: 400,
      body: { error: 'invalid_grant', error_description: `authorization code not found for code=${code}`, error_code: 'KOE320' },
    }),
    bindingMismatch: { status: 400, body: { error: 'invalid_grant', error_description: 'Redirect URI mismatch.', error_code: 'KOE303' } },
    unsupportedGrant: { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant_type mismatched', error_code: 'KOE005' } },
    granted: (accessToken) => ({
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'bearer',
        refresh_token: randomToken(),
        expires_in: 21599,
        scope: 'account_email profile_image profile_nickname',
        refresh_token_expires_in: 5183999,
      },
    }),
    invalidAccessToken: { status: 401, body: { msg: 'this access token does not exist', code: -401 } },
  },
  // Naver refuses token requests with HTTP 200 and an `error` field.
  naver: {
    tokenPath: '/naver/oauth2.0/token',
    userinfoPath: '/naver/v1/nid/me',
    client: clientOf('naver'),
    checksState: true,
    invalidClient: { status: 200, body: { error: 'invalid_client', error_description: 'client authentication failed' } },
    invalidGrant: () => ({ status: 200, body: { error: 'invalid_request', error_description: 'no valid data in session' } }),
    bindingMismatch: { status: 200, body: { error: 'invalid_request', error_description: 'no valid data in session' } },
    unsupportedGrant: { status: 200, body: { error: 'unsupported_grant_type', error_description: 'unsupported grant_type' } },
    granted: (accessToken) => ({
      status: 200,
      body: { access_token: accessToken, refresh_token: randomToken(), token_type: 'bearer', expires_in: '3600' },
    }),
    invalidAccessToken: { status: 401, body: { resultcode: '024', message: 'Authentication failed / 인증에 실패했습니다.' } },
  },
};

const randomToken = () => randomBytes(24).toString('base64url');

const UNAVAILABLE: Reply = { status: 503, body: { error: 'temporarily_unavailable', error_description: 'Service Unavailable' } };

function outageAt(endpoint: 'token' | 'userinfo', scenario: CodeScenario): Outcome | undefined {
  if (scenario.outage?.endpoint !== endpoint) return undefined;
  return scenario.outage.kind === 'disconnect' ? DISCONNECT : UNAVAILABLE;
}

export interface OAuthStandIn {
  /** Worker bindings pointing each provider at the stand-in, with the clients it has registered. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startOAuthStandIn(): Promise<OAuthStandIn> {
  const redeemedCodes = new Set<string>();
  const accessTokens = new Map<string, CodeScenario>();

  function exchange(dialect: Dialect, form: URLSearchParams): Outcome {
    if (form.get('grant_type') !== 'authorization_code') return dialect.unsupportedGrant;
    const { client } = dialect;
    if (form.get('client_id') !== client.clientId || form.get('client_secret') !== client.clientSecret) return dialect.invalidClient;
    const code = form.get('code') ?? '';
    const scenario = decodeCode(code);
    if (!scenario || redeemedCodes.has(code)) return dialect.invalidGrant(code);
    const outage = outageAt('token', scenario);
    if (outage) return outage;
    const bound = dialect.checksState ? form.get('state') === scenario.state : form.get('redirect_uri') === client.redirectUri;
    if (!bound) return dialect.bindingMismatch;
    redeemedCodes.add(code);
    const accessToken = randomToken();
    accessTokens.set(accessToken, scenario);
    return dialect.granted(accessToken);
  }

  function userinfo(dialect: Dialect, authorization: string | undefined): Outcome {
    const scenario = accessTokens.get(authorization?.match(/^Bearer (\S+)$/)?.[1] ?? '');
    if (!scenario) return dialect.invalidAccessToken;
    return outageAt('userinfo', scenario) ?? { status: 200, body: scenario.userinfo };
  }

  async function route(req: IncomingMessage): Promise<Outcome> {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    for (const dialect of Object.values(dialects)) {
      if (req.method === 'POST' && path === dialect.tokenPath) {
        if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
          return { status: 400, body: { error: 'invalid_request', error_description: 'expected a form-encoded body' } };
        }
        return exchange(dialect, new URLSearchParams(await readBody(req)));
      }
      if (req.method === 'GET' && path === dialect.userinfoPath) return userinfo(dialect, req.headers.authorization);
    }
    return { status: 404, body: { error: 'not_found' } };
  }

  const server = createServer((req, res) => {
    route(req).then(
      (outcome) => (outcome === DISCONNECT ? cutOff(res) : send(res, outcome)),
      (error: unknown) => send(res, { status: 500, body: { error: String(error) } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const env: Record<string, string> = {};
  for (const [name, dialect] of Object.entries(dialects)) {
    const prefix = name.toUpperCase();
    env[`${prefix}_TOKEN_URL`] = base + dialect.tokenPath;
    env[`${prefix}_USERINFO_URL`] = base + dialect.userinfoPath;
    env[`${prefix}_CLIENT_ID`] = dialect.client.clientId;
    env[`${prefix}_CLIENT_SECRET`] = dialect.client.clientSecret;
    env[`${prefix}_REDIRECT_URI`] = dialect.client.redirectUri;
  }
  return {
    env,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function cutOff(res: ServerResponse) {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '64' });
  res.write('{"access_token":"');
  // After the partial body has gone out, so the client sees a connection lost mid-answer.
  setTimeout(() => res.destroy(), 10);
}

function send(res: ServerResponse, reply: Reply) {
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(reply.body));
}
