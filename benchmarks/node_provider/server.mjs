// panva's oidc-provider (certified OpenID Provider, Node.js) serving the client-credentials
// workload of benchmarks/http_serving.py: one confidential client (client_secret_basic), JWT
// access tokens signed with ALG (RS256 or ES256) carrying the same 19 extra claims as the
// oidc_claims token of that workload (27 claims in all), no token stored (its JWT access
// tokens are self-contained). One process: Node serves on one thread.
//
//   PORT=8080 ALG=RS256 CLIENT_ID=bench-service CLIENT_SECRET=... node server.mjs
import crypto from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const alg = process.env.ALG || 'RS256';
const resource = 'https://api.example.com';

function privateJwk(type, options, jwkAlg) {
  const { privateKey } = crypto.generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), alg: jwkAlg, use: 'sig', kid: jwkAlg };
}

// The oidc_claims workload's client-credentials token: claim_3, claim_8, ..., claim_48 false and
// claim_4, claim_9, ..., claim_44 the client id, as its 50 definitions give them for a token
// without a user (19 claims).
function extraClaims(clientId) {
  const claims = {};
  for (let n = 3; n < 50; n += 5) {
    claims[`claim_${n}`] = false;
    if (n + 1 < 49) claims[`claim_${n + 1}`] = clientId;
  }
  return claims;
}

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: {
    keys: [
      privateJwk('rsa', { modulusLength: 2048 }, 'RS256'),
      privateJwk('ec', { namedCurve: 'P-256' }, 'ES256'),
    ],
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'openid',
        audience: resource,
        accessTokenTTL: 600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg } },
      }),
    },
  },
  // The path the benchmark's requests use (DOT's, under the example's /o/).
  routes: { token: '/o/token/' },
  ttl: { ClientCredentials: 600 },
  extraTokenClaims: (ctx, token) => extraClaims(token.clientId),
});

provider.listen(port, '127.0.0.1');
