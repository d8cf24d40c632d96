// An OpenID4VCI 1.0 credential issuer and its authorization server, for skillpass's `receive`
// tests, on the OpenWallet Foundation's oid4vc-ts (@openid4vc/openid4vci, @openid4vc/oauth2:
// metadata, offers, the token endpoint with pre-authorized code + tx_code + DPoP, RFC 9068
// access tokens, proof JWT checks) and @sd-jwt/sd-jwt-vc for the dc+sd-jwt credentials.
//
//   node oid4vci_issuer.mjs [--cert FILE --key FILE] [--dpop] [--no-par]
//
// Listens on 127.0.0.1 (a free port): https with --cert/--key (the URL names `localhost`, which
// the certificate must carry), else plain http (oid4vc-ts told to allow it). Prints one ready
// line, {"ready": true, "url": ...}, and stops on SIGTERM. Offers are made by the test with
// POST /test/offer {"configurations": [...], "txCode": "1234"|null, "byReference": bool,
// "ldpVc": a signed credential|null} -> {"link", "offer", "preAuthorizedCode"}; every
// pre-authorized code is single-use, every c_nonce too. --dpop makes the token endpoint require
// DPoP (RFC 9449). With "authorizationCode": true the offer has only the authorization code grant
// (issuer_state = the returned code): PAR at /par (required, unless --no-par), /authorize approves
// at once and redirects to the loopback redirect_uri with code, state and iss (RFC 9207), and the
// token endpoint checks PKCE S256, redirect_uri and client_id. Configurations: welding-sd-jwt (dc+sd-jwt, cnf = the proof's key, iss = this
// URL, keys at /.well-known/jwt-vc-issuer), welding-jwt-vc (jwt_vc_json from a did:jwk, subject
// the proof's did:key or did:jwk), data-literacy-ldp (ldp_vc: the `ldpVc` the test signed).

import {ECDH, createHash, randomBytes, generateKeyPairSync} from 'node:crypto';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import https from 'node:https';

import express from 'express';
import {SignJWT, exportJWK, importJWK, calculateJwkThumbprint, jwtVerify} from 'jose';
import {
  Oauth2AuthorizationServer, Oauth2ResourceServer, Oauth2ServerErrorResponseError,
  Oauth2ResourceUnauthorizedError, clientAuthenticationAnonymous, setGlobalConfig
} from '@openid4vc/oauth2';
import {Openid4vciIssuer} from '@openid4vc/openid4vci';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest, generateSalt} from '@sd-jwt/crypto-nodejs';

const flags = parseFlags(process.argv.slice(2));
const tls = flags.cert && flags.key;
setGlobalConfig({allowInsecureUrls: !tls});

const VCT = 'https://credentials.example.ca/welding-safety';

function parseFlags(argv) {
  const out = {};
  for(let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if(i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      out[name] = argv[++i];
    } else {
      out[name] = true;
    }
  }
  return out;
}

async function keyPair(kid) {
  const {privateKey, publicKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
  const publicJwk = {...await exportJWK(publicKey), kid, alg: 'ES256', use: 'sig'};
  const privateJwk = {...await exportJWK(privateKey), kid};
  return {publicJwk, privateJwk};
}

const issuerKey = await keyPair('issuer-key-1');  // signs the credentials
const asKey = await keyPair('as-key-1');  // signs the access tokens
const asJwks = {keys: [asKey.publicJwk]};
let baseUrl = '';  // set once listening

// -- the callbacks oid4vc-ts asks for --------------------------------------------------------

const callbacks = {
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
  generateRandom: (length) => new Uint8Array(randomBytes(length)),
  clientAuthentication: clientAuthenticationAnonymous(),
  async signJwt(signer, {header, payload}) {
    if(signer.method !== 'jwk') {
      throw new Error(`signer method ${signer.method} not supported here`);
    }
    const jwt = await new SignJWT(payload).setProtectedHeader({...header, alg: 'ES256', kid: asKey.publicJwk.kid})
      .sign(await importJWK(asKey.privateJwk, 'ES256'));
    return {jwt, signerJwk: signer.publicJwk};
  },
  async verifyJwt(signer, {compact}) {
    const publicJwk = signer.method === 'jwk' ? signer.publicJwk
      : signer.method === 'did' && signer.didUrl.startsWith('did:key:') ? didKeyJwk(signer.didUrl) : null;
    if(!publicJwk) {
      return {verified: false};
    }
    try {
      await jwtVerify(compact, await importJWK(publicJwk, signer.alg), {algorithms: ['ES256', 'ES384', 'EdDSA']});
      return {verified: true, signerJwk: publicJwk};
    } catch {
      return {verified: false, signerJwk: publicJwk};
    }
  },
  // the resource server fetches the AS's jwks_uri: answered here, without a connection
  async fetch(url, init) {
    if(String(url) === `${baseUrl}/jwks`) {
      return new Response(JSON.stringify(asJwks), {headers: {'content-type': 'application/json'}});
    }
    return globalThis.fetch(url, init);
  }
};

const authorizationServer = new Oauth2AuthorizationServer({callbacks});
const resourceServer = new Oauth2ResourceServer({callbacks});
const issuer = new Openid4vciIssuer({callbacks});

function issuerMetadata() {
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: baseUrl,
    credential_endpoint: `${baseUrl}/credential`,
    nonce_endpoint: `${baseUrl}/nonce`,
    display: [{name: 'Collège Boréal (test issuer)', locale: 'en'}],
    credential_configurations_supported: {
      'welding-sd-jwt': {
        format: 'dc+sd-jwt',
        vct: VCT,
        cryptographic_binding_methods_supported: ['jwk'],
        credential_signing_alg_values_supported: ['ES256'],
        proof_types_supported: {jwt: {proof_signing_alg_values_supported: ['ES256', 'EdDSA']}},
        credential_metadata: {display: [{name: 'Welding Safety', locale: 'en', description: 'SD-JWT VC'}]}
      },
      'welding-jwt-vc': {
        format: 'jwt_vc_json',
        credential_definition: {type: ['VerifiableCredential', 'WeldingSafetyCredential']},
        cryptographic_binding_methods_supported: ['jwk', 'did:key'],
        credential_signing_alg_values_supported: ['ES256'],
        proof_types_supported: {jwt: {proof_signing_alg_values_supported: ['ES256', 'EdDSA']}},
        credential_metadata: {display: [{name: 'Welding Safety (VC-JWT)', locale: 'en'}]}
      },
      // Data Integrity: signed by the test beforehand (digitalbazaar, peer.mjs) and handed over
      // with the offer, since its subject is the wallet's DID
      'data-literacy-ldp': {
        format: 'ldp_vc',
        credential_definition: {'@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiableCredential', 'OpenBadgeCredential']},
        cryptographic_binding_methods_supported: ['did:key'],
        credential_signing_alg_values_supported: ['eddsa-rdfc-2022'],
        proof_types_supported: {jwt: {proof_signing_alg_values_supported: ['ES256', 'EdDSA']}},
        credential_metadata: {display: [{name: 'Data Literacy Foundations', locale: 'en'}]}
      }
    }
  });
  const authorizationServerMetadata = authorizationServer.createAuthorizationServerMetadata({
    issuer: baseUrl,
    token_endpoint: `${baseUrl}/token`,
    jwks_uri: `${baseUrl}/jwks`,
    'pre-authorized_grant_anonymous_access_supported': true,
    authorization_endpoint: `${baseUrl}/authorize`,
    ...(flags['no-par'] ? {} : {pushed_authorization_request_endpoint: `${baseUrl}/par`,
      require_pushed_authorization_requests: true}),
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    ...(flags.dpop ? {dpop_signing_alg_values_supported: ['ES256', 'EdDSA']} : {})
  });
  return {
    originalDraftVersion: 'v1',
    credentialIssuer,
    authorizationServers: [authorizationServerMetadata],
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer)
  };
}

// -- state: offers by pre-authorized code, nonces --------------------------------------------

const offers = new Map();  // pre-authorized code -> {txCode, configurations, used}
const offerDocuments = new Map();  // id -> offer JSON (by reference)
const nonces = new Set();  // unused c_nonces
const log = (entry) => process.stderr.write(JSON.stringify(entry) + '\n');

function requestLike(req) {
  return {method: req.method, url: `${baseUrl}${req.originalUrl}`, headers: new Headers(req.headers)};
}

function oauthError(res, error) {
  if(error instanceof Oauth2ServerErrorResponseError) {
    return res.status(error.status ?? 400).json(error.errorResponse);
  }
  if(error instanceof Oauth2ResourceUnauthorizedError) {
    return res.status(401).set('WWW-Authenticate', error.toHeaderValue()).json({error: 'invalid_token'});
  }
  log({error: String(error?.stack ?? error)});
  return res.status(400).json({error: 'invalid_request', error_description: String(error?.message ?? error)});
}

const app = express();
app.use(express.json());
app.use(express.urlencoded({extended: false}));

app.get('/.well-known/openid-credential-issuer', (req, res) => res.json(issuerMetadata().credentialIssuer));
app.get('/.well-known/oauth-authorization-server', (req, res) => res.json(issuerMetadata().authorizationServers[0]));
app.get('/.well-known/jwt-vc-issuer', (req, res) => res.json({issuer: baseUrl, jwks: {keys: [issuerKey.publicJwk]}}));
app.get('/jwks', (req, res) => res.json(asJwks));
app.get('/offers/:id', (req, res) => {
  const offer = offerDocuments.get(req.params.id);
  return offer ? res.json(offer) : res.status(404).json({error: 'not_found'});
});

app.post('/test/offer', async (req, res) => {
  const {configurations, txCode = null, byReference = false, ldpVc = null, authorizationCode = false} = req.body;
  const code = Buffer.from(randomBytes(16)).toString('base64url');
  const id = Buffer.from(randomBytes(8)).toString('base64url');
  const grant = {'pre-authorized_code': code};
  if(txCode) {
    grant.tx_code = {input_mode: 'numeric', length: txCode.length, description: 'the code in your email'};
  }
  // the authorization code grant only: `code` is then the issuer_state the wallet echoes
  const grants = authorizationCode ? {authorization_code: {issuer_state: code}}
    : {'urn:ietf:params:oauth:grant-type:pre-authorized_code': grant};
  const created = await issuer.createCredentialOffer({
    issuerMetadata: issuerMetadata(),
    credentialConfigurationIds: configurations,
    grants,
    ...(byReference ? {credentialOfferUri: `${baseUrl}/offers/${id}`} : {})
  });
  offers.set(code, {txCode, configurations, ldpVc, used: false, authorizationCode});
  offerDocuments.set(id, created.credentialOfferObject);
  res.json({link: created.credentialOffer, offer: created.credentialOfferObject, preAuthorizedCode: code});
});

// -- the authorization code flow: PAR (RFC 9126), an authorization endpoint that approves at once
// (no user login: it stands for the learner signing in), PKCE checked at the token endpoint ------

const pushed = new Map();  // request_uri -> authorization request (single use)
const codes = new Map();  // authorization code -> {request, used}

// the checks a real AS makes of a native client's request (RFC 8252 §7.3, RFC 7636, §5.1)
function checkAuthorizationRequest(request) {
  const fail = (description) => {
    throw new Oauth2ServerErrorResponseError({error: 'invalid_request', error_description: description});
  };
  if(request.response_type !== 'code' || !request.client_id) {
    fail('response_type code and a client_id are required');
  }
  if(!/^http:\/\/127\.0\.0\.1:\d+\/callback$/.test(request.redirect_uri ?? '')) {
    fail('redirect_uri must be a loopback http://127.0.0.1:PORT/callback');
  }
  if(request.code_challenge_method !== 'S256' || !request.code_challenge || !request.state) {
    fail('PKCE S256 and state are required');
  }
  const offer = offers.get(request.issuer_state);
  if(!offer?.authorizationCode || offer.used) {
    fail('unknown or used issuer_state');
  }
  const details = JSON.parse(request.authorization_details ?? '[]');
  const ids = details.filter((d) => d.type === 'openid_credential').map((d) => d.credential_configuration_id);
  if(!ids.length || !ids.every((i) => offer.configurations.includes(i))) {
    fail('authorization_details must name the offered credential configurations');
  }
  return request;
}

app.post('/par', async (req, res) => {
  try {
    const {authorizationRequest} = await authorizationServer.parsePushedAuthorizationRequest({
      request: requestLike(req), authorizationRequest: req.body});
    checkAuthorizationRequest(authorizationRequest);
    const requestUri = `urn:ietf:params:oauth:request_uri:${Buffer.from(randomBytes(16)).toString('base64url')}`;
    pushed.set(requestUri, authorizationRequest);
    log({par: true});
    res.status(201).json(authorizationServer.createPushedAuthorizationResponse({requestUri, expiresInSeconds: 60})
      .pushedAuthorizationResponse);
  } catch(error) {
    oauthError(res, error);
  }
});

app.get('/authorize', (req, res) => {
  try {
    let request = req.query;
    if(request.request_uri) {
      request = pushed.get(req.query.request_uri);
      pushed.delete(req.query.request_uri);
      if(!request || request.client_id !== req.query.client_id) {
        return res.status(400).type('text/plain').send('unknown request_uri');
      }
    } else if(!flags['no-par']) {
      return res.status(400).type('text/plain').send('pushed authorization requests are required');
    } else {
      checkAuthorizationRequest(request);
    }
    const code = Buffer.from(randomBytes(16)).toString('base64url');
    codes.set(code, {request, used: false});
    log({authorized: true});
    const target = new URL(request.redirect_uri);
    target.search = new URLSearchParams({code, state: request.state, iss: baseUrl}).toString();
    res.redirect(302, target.toString());
  } catch(error) {
    res.status(400).type('text/plain').send(String(error?.errorResponse?.error_description ?? error));
  }
});

async function authorizationCodeToken(req, res, metadata, parsed) {
  const issued = codes.get(parsed.grant.code);
  const body = parsed.accessTokenRequest;
  if(!issued || issued.used || body.redirect_uri !== issued.request.redirect_uri
      || body.client_id !== issued.request.client_id) {
    return res.status(400).json({error: 'invalid_grant', error_description: 'unknown or used code, or another client'});
  }
  issued.used = true;
  const verified = await authorizationServer.verifyAuthorizationCodeAccessTokenRequest({
    authorizationServerMetadata: metadata.authorizationServers[0],
    grant: parsed.grant,
    accessTokenRequest: body,
    request: requestLike(req),
    expectedCode: parsed.grant.code,
    pkce: {codeVerifier: body.code_verifier, codeChallenge: issued.request.code_challenge, codeChallengeMethod: 'S256'},
    dpop: {required: Boolean(flags.dpop), jwt: parsed.dpop?.jwt, allowedSigningAlgs: ['ES256', 'EdDSA']}
  });
  offers.get(issued.request.issuer_state).used = true;
  const response = await authorizationServer.createAccessTokenResponse({
    authorizationServer: baseUrl,
    audience: `${baseUrl}/credential`,
    signer: {method: 'jwk', alg: 'ES256', publicJwk: asKey.publicJwk},
    expiresInSeconds: 300,
    subject: issued.request.issuer_state,
    ...(verified.dpop ? {dpop: {jwk: verified.dpop.jwk}} : {})
  });
  log({token: true, grant: 'authorization_code', dpop: Boolean(verified.dpop)});
  return res.json(response);
}

app.post('/token', async (req, res) => {
  try {
    const metadata = issuerMetadata();
    const parsed = authorizationServer.parseAccessTokenRequest({request: requestLike(req), accessTokenRequest: req.body});
    if(parsed.grant.grantType === 'authorization_code') {
      return await authorizationCodeToken(req, res, metadata, parsed);
    }
    const code = parsed.grant.preAuthorizedCode;
    const offer = offers.get(code);
    if(!offer || offer.used) {
      return res.status(400).json({error: 'invalid_grant', error_description: 'unknown or used pre-authorized code'});
    }
    const verified = await authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
      authorizationServerMetadata: metadata.authorizationServers[0],
      grant: parsed.grant,
      accessTokenRequest: parsed.accessTokenRequest,
      request: requestLike(req),
      expectedPreAuthorizedCode: code,
      expectedTxCode: offer.txCode ?? undefined,
      dpop: {required: Boolean(flags.dpop), jwt: parsed.dpop?.jwt, allowedSigningAlgs: ['ES256', 'EdDSA']}
    });
    offer.used = true;  // single use, once it was presented with the right tx_code
    const response = await authorizationServer.createAccessTokenResponse({
      authorizationServer: baseUrl,
      audience: `${baseUrl}/credential`,
      signer: {method: 'jwk', alg: 'ES256', publicJwk: asKey.publicJwk},
      expiresInSeconds: 300,
      subject: code,
      ...(verified.dpop ? {dpop: {jwk: verified.dpop.jwk}} : {})
    });
    log({token: true, dpop: Boolean(verified.dpop)});
    res.json(response);
  } catch(error) {
    oauthError(res, error);
  }
});

app.post('/nonce', (req, res) => {
  const cNonce = Buffer.from(randomBytes(16)).toString('base64url');
  nonces.add(cNonce);
  res.set('Cache-Control', 'no-store').json(issuer.createNonceResponse({cNonce, cNonceExpiresIn: 300}));
});

app.post('/credential', async (req, res) => {
  try {
    const metadata = issuerMetadata();
    const {tokenPayload} = await resourceServer.verifyResourceRequest({
      request: requestLike(req),
      resourceServer: `${baseUrl}/credential`,
      authorizationServers: metadata.authorizationServers
    });
    const parsed = issuer.parseCredentialRequest({issuerMetadata: metadata, credentialRequest: req.body});
    const configurationId = parsed.credentialConfigurationId;
    const configuration = metadata.credentialIssuer.credential_configurations_supported[configurationId];
    const jwts = parsed.proofs?.jwt;
    if(!configuration || !jwts?.length) {
      return res.status(400).json({error: 'invalid_credential_request'});
    }
    const credentials = [];
    for(const jwt of jwts) {
      const nonce = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url')).nonce;
      if(!nonces.delete(nonce)) {
        return res.status(400).json({error: 'invalid_nonce', error_description: 'unknown or used c_nonce'});
      }
      const proof = await issuer.verifyCredentialRequestJwtProof({issuerMetadata: metadata, jwt, expectedNonce: nonce});
      const holderJwk = proof.signer.publicJwk;
      if(configuration.format === 'ldp_vc') {
        credentials.push({credential: offers.get(tokenPayload.sub)?.ldpVc});
      } else {
        credentials.push({credential: configuration.format === 'dc+sd-jwt'
          ? await sdJwtCredential(holderJwk) : await jwtVcCredential(holderJwk, proof.signer)});
      }
    }
    log({issued: configuration.format, count: credentials.length});
    res.json(issuer.createCredentialResponse({credentialRequest: parsed, credentials}));
  } catch(error) {
    oauthError(res, error);
  }
});

async function sdJwtCredential(holderJwk) {
  const sdjwt = new SDJwtVcInstance({
    signer: await ES256.getSigner(issuerKey.privateJwk), signAlg: 'ES256', hasher: digest, hashAlg: 'sha-256',
    saltGenerator: generateSalt
  });
  const claims = {iss: baseUrl, vct: VCT, iat: Math.floor(Date.now() / 1000), given_name: 'Ana',
    family_name: 'Lavoie', achievement: {name: 'Welding Safety', hours: 45}, cnf: {jwk: publicPart(holderJwk)}};
  return sdjwt.issue(claims, {_sd: ['given_name', 'family_name', 'achievement']},
    {header: {typ: 'dc+sd-jwt', kid: issuerKey.publicJwk.kid}});
}

// jwt_vc_json (VC Data Model 1.1 JWT form), signed by the issuer's did:jwk; the subject is the
// holder's DID when the proof named one by `kid`, else the did:jwk of the proof's key
async function jwtVcCredential(holderJwk, signer) {
  const issuerDid = 'did:jwk:' + Buffer.from(JSON.stringify(publicPart(issuerKey.publicJwk))).toString('base64url');
  const subject = signer.method === 'did' ? signer.didUrl.split('#')[0]
    : 'did:jwk:' + Buffer.from(JSON.stringify(publicPart(holderJwk))).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: issuerDid, sub: subject, nbf: now, iat: now, jti: `urn:uuid:${crypto.randomUUID()}`,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'WeldingSafetyCredential'],
      credentialSubject: {id: subject, achievement: {name: 'Welding Safety', hours: 45}}
    }
  };
  return new SignJWT(payload).setProtectedHeader({alg: 'ES256', typ: 'JWT', kid: `${issuerDid}#0`})
    .sign(await importJWK(issuerKey.privateJwk, 'ES256'));
}

// did:key (P-256 or Ed25519): base58btc multibase of the multicodec-prefixed public key
function didKeyJwk(didUrl) {
  const [did, fragment] = didUrl.split('#');
  const multibase = did.slice('did:key:'.length);
  if(fragment && fragment !== multibase || !multibase.startsWith('z')) {
    throw new Error(`not a did:key verification method: ${didUrl}`);
  }
  const bytes = base58Decode(multibase.slice(1));
  if(bytes[0] === 0x80 && bytes[1] === 0x24) {
    const point = ECDH.convertKey(Buffer.from(bytes.slice(2)), 'prime256v1', undefined, undefined, 'uncompressed');
    return {kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url')};
  }
  if(bytes[0] === 0xed && bytes[1] === 0x01) {
    return {kty: 'OKP', crv: 'Ed25519', x: Buffer.from(bytes.slice(2)).toString('base64url')};
  }
  throw new Error(`unsupported did:key type: ${didUrl}`);
}

function base58Decode(text) {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let value = 0n;
  for(const char of text) {
    const digit = alphabet.indexOf(char);
    if(digit < 0) {
      throw new Error('not base58');
    }
    value = value * 58n + BigInt(digit);
  }
  const out = [];
  while(value > 0n) {
    out.unshift(Number(value % 256n));
    value /= 256n;
  }
  for(const char of text) {
    if(char !== '1') {
      break;
    }
    out.unshift(0);
  }
  return Uint8Array.from(out);
}

function publicPart(jwk) {
  const {kty, crv, x, y} = jwk;
  return y === undefined ? {kty, crv, x} : {kty, crv, x, y};
}

const server = tls
  ? https.createServer({cert: readFileSync(flags.cert), key: readFileSync(flags.key)}, app)
  : http.createServer(app);
server.listen(0, '127.0.0.1', () => {
  const {port} = server.address();
  baseUrl = `${tls ? 'https' : 'http'}://${tls ? 'localhost' : '127.0.0.1'}:${port}`;
  process.stdout.write(JSON.stringify({ready: true, url: baseUrl, pid: process.pid}) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
