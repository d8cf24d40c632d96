// An OpenID4VP 1.0 verifier on 127.0.0.1 for skillpass's interop tests, on the OpenWallet
// Foundation's @openid4vc/openid4vp (request creation, response parsing and validation) and
// dcql (the vp_token against the query), with @sd-jwt/sd-jwt-vc checking each SD-JWT VC (the
// issuer's signature, the KB-JWT's signature, nonce and aud) and this file checking that only
// the claims the query names were disclosed. An answer whose state was answered before is refused.
//
//   node oid4vp_verifier.mjs --issuer-jwk JSON --vct VCT --claims '[["given_name"],["address","locality"]]'
//        [--mode direct_post|direct_post.jwt] [--signed FILE] [--port 0]
//
// --signed FILE (JSON {keyJwk, x5c, clientId}) signs the request object with that key and
// certificate chain and serves it by request_uri (x509_san_dns: / x509_hash: client ids).
// Prints one ready line {"ready": true, "link", "port", "clientId"} and then one line per answer;
// GET /results lists the outcomes. Stop it by its PID.

import crypto from 'node:crypto';
import express from 'express';
import * as jose from 'jose';
import {setGlobalConfig} from '@openid4vc/utils';
import {Openid4vpVerifier} from '@openid4vc/openid4vp';
import {DcqlQuery, DcqlPresentationResult} from 'dcql';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest} from '@sd-jwt/crypto-nodejs';

setGlobalConfig({allowInsecureUrls: true});

function flags(argv) {
  const out = {};
  for(let i = 0; i < argv.length; i++) {
    if(argv[i].startsWith('--')) {
      const next = argv[i + 1];
      out[argv[i].slice(2)] = next === undefined || next.startsWith('--') ? true : (i++, next);
    }
  }
  return out;
}

const args = flags(process.argv.slice(2));
const issuerJwk = JSON.parse(args['issuer-jwk']);
const requested = JSON.parse(args.claims ?? '[]');
const mode = args.mode ?? 'direct_post';
const signed = args.signed ? JSON.parse((await import('node:fs')).readFileSync(args.signed, 'utf8')) : null;
const results = [];
const answered = new Set();
const pending = new Map();  // state -> authorization request payload

const encryptionKeys = await jose.generateKeyPair('ECDH-ES', {crv: 'P-256', extractable: true});
const encryptionJwk = {...await jose.exportJWK(encryptionKeys.publicKey), kid: 'enc-1', use: 'enc', alg: 'ECDH-ES'};

const b64 = (bytes) => Buffer.from(bytes).toString('base64url');
const callbacks = {
  hash: (data, alg) => crypto.createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
  generateRandom: (n) => crypto.randomBytes(n),
  signJwt: async (signer, {header, payload}) => {
    const key = await jose.importJWK(signed.keyJwk, 'ES256');
    const jwt = await new jose.CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader({...header, alg: 'ES256'}).sign(key);
    const {d, ...publicJwk} = signed.keyJwk;
    return {jwt, signerJwk: publicJwk};
  },
  decryptJwe: async (jwe) => {
    try {
      const {plaintext} = await jose.compactDecrypt(jwe, encryptionKeys.privateKey);
      return {decrypted: true, decryptionJwk: encryptionJwk, payload: Buffer.from(plaintext).toString('utf8')};
    } catch(error) {
      return {decrypted: false};
    }
  },
  verifyJwt: async () => ({verified: false}),
  encryptJwe: async () => { throw new Error('not used'); }
};
const verifier = new Openid4vpVerifier({callbacks});

const app = express();
app.use(express.urlencoded({extended: false, limit: '1mb'}));
const server = app.listen(0, '127.0.0.1', () => ready());
const port = () => server.address().port;
const host = signed ? 'localhost' : '127.0.0.1';

function dcqlQuery() {
  return {credentials: [{id: 'skills', format: 'dc+sd-jwt', meta: {vct_values: [args.vct]},
    claims: requested.map((path) => ({path}))}]};
}

async function newRequest() {
  const base = `http://${host}:${port()}`;
  const state = b64(crypto.randomBytes(12));
  const clientId = signed ? signed.clientId : `redirect_uri:${base}/response`;
  const payload = {
    response_type: 'vp_token', client_id: clientId, response_uri: `${base}/response`, response_mode: mode,
    nonce: b64(crypto.randomBytes(16)), state, dcql_query: dcqlQuery(),
    client_metadata: {client_name: 'Boreal Hiring (test verifier)',
      vp_formats_supported: {'dc+sd-jwt': {'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256']}},
      ...(mode === 'direct_post.jwt' ? {jwks: {keys: [encryptionJwk]}, encrypted_response_enc_values_supported: ['A128GCM']} : {})}
  };
  const jar = signed ? {requestUri: `${base}/request/${state}`,
    jwtSigner: {method: 'x5c', alg: 'ES256', x5c: signed.x5c, kid: undefined}} : undefined;
  const created = await verifier.createOpenId4vpAuthorizationRequest({authorizationRequestPayload: payload, jar});
  pending.set(state, {payload: created.authorizationRequestPayload, jwt: created.jar?.authorizationRequestJwt});
  return created.authorizationRequest;
}

async function ready() {
  const link = await newRequest();
  const clientId = signed ? signed.clientId : `redirect_uri:http://${host}:${port()}/response`;
  process.stdout.write(JSON.stringify({ready: true, port: port(), link, clientId}) + '\n');
}

app.get('/request/:state', (req, res) => {
  const entry = pending.get(req.params.state);
  if(!entry?.jwt) return res.status(404).end();
  res.type('application/oauth-authz-req+jwt').send(entry.jwt);
});
app.post('/request/:state', (req, res) => {
  const entry = pending.get(req.params.state);
  if(!entry?.jwt) return res.status(404).end();
  res.type('application/oauth-authz-req+jwt').send(entry.jwt);
});

app.get('/new', async (req, res) => res.json({link: await newRequest()}));
app.get('/results', (req, res) => res.json(results));

function refuse(res, description, extra = {}) {
  const outcome = {verified: false, error: description, ...extra};
  results.push(outcome);
  process.stdout.write(JSON.stringify(outcome) + '\n');
  res.status(400).json({error: 'invalid_request', error_description: description});
}

app.post('/response', async (req, res) => {
  try {
    let body = req.body;
    let unverifiedState = body.state;
    if(body.response) {  // direct_post.jwt: peek at the state after decrypting
      const decrypted = await callbacks.decryptJwe(body.response);
      if(!decrypted.decrypted) return refuse(res, 'the response does not decrypt');
      unverifiedState = JSON.parse(decrypted.payload).state;
    }
    if(answered.has(unverifiedState)) return refuse(res, 'replayed: this request was answered already', {replay: true});
    const entry = pending.get(unverifiedState);
    if(!entry) return refuse(res, 'unknown state');
    const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
      authorizationResponse: body, authorizationRequestPayload: entry.payload, callbacks});
    answered.add(unverifiedState);
    if(parsed.type !== 'dcql') return refuse(res, `not a DCQL answer (${parsed.type})`);
    const query = DcqlQuery.parse(entry.payload.dcql_query);
    DcqlQuery.validate(query);
    const checked = {};
    const presentations = {};
    for(const [queryId, items] of Object.entries(parsed.dcql.presentations)) {
      const list = Array.isArray(items) ? items : [items];
      presentations[queryId] = [];
      for(const presentation of list) {
        const one = await checkSdJwt(presentation, entry.payload);
        checked[queryId] = one;
        presentations[queryId].push({credential_format: 'dc+sd-jwt', vct: one.claims.vct, claims: one.claims,
          cryptographic_holder_binding: true});
      }
    }
    const dcqlResult = DcqlPresentationResult.fromDcqlPresentation(presentations, {dcqlQuery: query});
    if(!dcqlResult.can_be_satisfied) return refuse(res, 'the vp_token does not satisfy the DCQL query');
    const outcome = {verified: true, clientId: entry.payload.client_id, state: unverifiedState,
      encrypted: Boolean(body.response), credentials: checked};
    results.push(outcome);
    process.stdout.write(JSON.stringify(outcome) + '\n');
    res.json({});
  } catch(error) {
    refuse(res, String(error?.message ?? error).slice(0, 300));
  }
});

async function checkSdJwt(presentation, request) {
  const parts = presentation.split('~');
  const kbToken = parts[parts.length - 1];
  if(!kbToken) throw new Error('no key binding JWT');
  const issuerPayload = jose.decodeJwt(parts[0]);
  const sdjwt = new SDJwtVcInstance({verifier: await ES256.getVerifier(issuerJwk), hasher: digest,
    hashAlg: 'sha-256', kbVerifier: await ES256.getVerifier(issuerPayload.cnf.jwk)});
  const result = await sdjwt.verify(presentation, {keyBindingNonce: request.nonce});
  const kb = jose.decodeJwt(kbToken);
  if(kb.aud !== request.client_id) throw new Error(`KB-JWT aud ${kb.aud} is not the client id ${request.client_id}`);
  if(kb.nonce !== request.nonce) throw new Error('KB-JWT nonce does not match');
  const names = new Set(requested.flat().filter((s) => typeof s === 'string'));
  const arrays = requested.some((p) => p.some((s) => s === null || typeof s === 'number'));
  const disclosed = parts.slice(1, -1).map((d) => JSON.parse(Buffer.from(d, 'base64url').toString('utf8')));
  for(const disclosure of disclosed) {
    const ok = disclosure.length === 3 ? names.has(disclosure[1]) : arrays;
    if(!ok) throw new Error(`disclosed a claim the query did not ask for: ${JSON.stringify(disclosure.slice(1))}`);
  }
  return {claims: result.payload, disclosed: disclosed.map((d) => d.length === 3 ? d[1] : null),
    kb: {aud: kb.aud, nonce: kb.nonce}};
}

process.on('SIGTERM', () => server.close(() => process.exit(0)));
