// SD-JWT VC subcommands of peer.mjs, on the OpenWallet Foundation's @sd-jwt/sd-jwt-vc
// (and @sd-jwt/crypto-nodejs for ES256 and SHA-256): an independent issuer, holder and
// verifier for skillpass's SD-JWT VC code. Keys are JWKs; nothing is fetched.

import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest, generateSalt} from '@sd-jwt/crypto-nodejs';

async function instance({issuerPrivate, issuerPublic, holderPrivate, holderPublic} = {}) {
  return new SDJwtVcInstance({
    signer: issuerPrivate ? await ES256.getSigner(issuerPrivate) : undefined,
    verifier: issuerPublic ? await ES256.getVerifier(issuerPublic) : undefined,
    signAlg: 'ES256',
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    kbSigner: holderPrivate ? await ES256.getSigner(holderPrivate) : undefined,
    kbVerifier: holderPublic ? await ES256.getVerifier(holderPublic) : undefined,
    kbSignAlg: 'ES256'
  });
}

function jwtPayload(token) {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

// {payload, disclosureFrame, holderJwk?, header?} with --key (issuer private JWK)
export async function cmdSdJwtIssue({flags, input, jsonOption}) {
  const {payload, disclosureFrame, holderJwk, header} = input();
  const sdjwt = await instance({issuerPrivate: jsonOption(flags.key)});
  const claims = holderJwk ? {...payload, cnf: {jwk: holderJwk}} : payload;
  return {sdJwt: await sdjwt.issue(claims, disclosureFrame, {header: header ?? {}})};
}

// {sdJwt, presentationFrame} with --key (holder private JWK), --aud, --nonce
export async function cmdSdJwtPresent({flags, input, jsonOption}) {
  const {sdJwt, presentationFrame} = input();
  const sdjwt = await instance({holderPrivate: jsonOption(flags.key)});
  const kb = flags.nonce ? {payload: {iat: Math.floor(Date.now() / 1000), aud: flags.aud,
    nonce: flags.nonce}} : undefined;
  return {presentation: await sdjwt.present(sdJwt, presentationFrame, kb ? {kb} : {})};
}

// {sdJwt} with --issuer-key (public JWK), and --nonce --aud to require key binding
export async function cmdSdJwtVerify({flags, input, jsonOption}) {
  const {sdJwt} = input();
  const parts = sdJwt.split('~');
  const kbToken = parts[parts.length - 1];
  const cnf = jwtPayload(parts[0]).cnf?.jwk;
  const sdjwt = await instance({issuerPublic: jsonOption(flags['issuer-key']), holderPublic: cnf});
  try {
    const result = await sdjwt.verify(sdJwt, flags.nonce ? {keyBindingNonce: flags.nonce} : {});
    if(flags.aud && (!kbToken || jwtPayload(kbToken).aud !== flags.aud)) {
      return {verified: false, error: 'key binding audience does not match'};
    }
    return {verified: true, claims: result.payload, keyBinding: Boolean(result.kb)};
  } catch(error) {
    return {verified: false, error: error.message ?? String(error)};
  }
}

export async function cmdSdJwtKeygen() {
  return ES256.generateKeyPair();
}
