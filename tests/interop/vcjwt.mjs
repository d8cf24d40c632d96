// VC-JWT subcommands of peer.mjs, on decentralized-identity's did-jwt-vc (VC Data Model 1.1
// §6.3.1 JWTs), did-jwt for its ES256 and EdDSA signers, and did-resolver with Ceramic's
// key-did-resolver for did:key (P-256 as JsonWebKey2020, Ed25519 as
// Ed25519VerificationKey2018): an independent issuer, holder and verifier for skillpass's
// VC-JWT code. Keys are made by node:crypto; nothing is fetched.

import {generateKeyPairSync} from 'node:crypto';
import {
  createVerifiableCredentialJwt, createVerifiablePresentationJwt, verifyCredential,
  verifyPresentation
} from 'did-jwt-vc';
import {ES256Signer, EdDSASigner, bytesToMultibase} from 'did-jwt';
import {Resolver} from 'did-resolver';
import {getResolver as keyDidResolver} from 'key-did-resolver';

const resolver = new Resolver(keyDidResolver());

// JWK `crv` -> the JWS alg, the did:key multicodec name (as did-jwt spells it) and did-jwt's
// signer, which takes the raw private key (the JWK's `d`).
const KEY_TYPES = {
  'P-256': {alg: 'ES256', codec: 'p256-pub', signer: ES256Signer},
  Ed25519: {alg: 'EdDSA', codec: 'ed25519-pub', signer: EdDSASigner}
};

function keyType(jwk) {
  const type = KEY_TYPES[jwk?.crv];
  if(!type) {
    throw new Error(`a key is a JWK with crv P-256 or Ed25519, not ${jwk?.crv}`);
  }
  return type;
}

// did:key's public key bytes: the compressed point for P-256 (02|03 by the parity of y, then
// x), the 32 bytes for Ed25519.
function publicKeyBytes(jwk) {
  const x = Buffer.from(jwk.x, 'base64url');
  if(jwk.crv === 'Ed25519') {
    return x;
  }
  const y = Buffer.from(jwk.y, 'base64url');
  return Buffer.concat([Buffer.from([(y[y.length - 1] & 1) ? 3 : 2]), x]);
}

function describeKey(jwk) {
  const {codec, alg} = keyType(jwk);
  const did = `did:key:${bytesToMultibase(publicKeyBytes(jwk), 'base58btc', codec)}`;
  return {type: jwk.crv, alg, did, kid: `${did}#${did.slice('did:key:'.length)}`, jwk};
}

// did-jwt-vc's `Issuer`: the DID, its signer and alg.
function signerOf(jwk) {
  const {alg, signer} = keyType(jwk);
  const {did} = describeKey(jwk);
  return {did, alg, signer: signer(Buffer.from(jwk.d, 'base64url'))};
}

function requireFlag(flags, name) {
  if(typeof flags[name] !== 'string') {
    throw new Error(`--${name} is required`);
  }
  return flags[name];
}

function failure(error) {
  return {verified: false, error: error.message ?? String(error)};
}

// --type P-256|Ed25519 -> {type, alg, did, kid, jwk (private)}
export async function cmdVcJwtKeygen({flags}) {
  const type = flags.type ?? 'P-256';
  const pair = type === 'Ed25519' ? generateKeyPairSync('ed25519') :
    type === 'P-256' ? generateKeyPairSync('ec', {namedCurve: 'P-256'}) : null;
  if(!pair) {
    throw new Error(`--type must be P-256 or Ed25519, not ${type}`);
  }
  return describeKey(pair.privateKey.export({format: 'jwk'}));
}

// A credential (W3C form, or the JWT form with a `vc` claim) with --key (keygen output or
// its jwk): createVerifiableCredentialJwt, issuer = the key's did:key -> {jwt}
export async function cmdVcJwtIssue({flags, input, jsonOption}) {
  const key = jsonOption(requireFlag(flags, 'key'));
  return {jwt: await createVerifiableCredentialJwt(input(), signerOf(key.jwk ?? key))};
}

// {jwt} -> {verified, issuer, subject, credential} (did-jwt-vc's normalized credential)
export async function cmdVcJwtVerifyCredential({input}) {
  try {
    const result = await verifyCredential(input().jwt, resolver, {proofPurpose: 'assertionMethod'});
    return {verified: true, issuer: result.issuer, subject: result.payload.sub ?? null,
      credential: result.verifiableCredential};
  } catch(error) {
    return failure(error);
  }
}

// {credentials: [jwt, ...]} with --key (the holder), --challenge, --domain:
// createVerifiablePresentationJwt, holder = the key's did:key -> {jwt}
export async function cmdVcJwtPresent({flags, input, jsonOption}) {
  const key = jsonOption(requireFlag(flags, 'key'));
  const holder = signerOf(key.jwk ?? key);
  const presentation = {
    '@context': ['https://www.w3.org/2018/credentials/v1'],
    type: ['VerifiablePresentation'],
    holder: holder.did,
    verifiableCredential: input().credentials ?? []
  };
  const options = {
    ...(typeof flags.challenge === 'string' ? {challenge: flags.challenge} : {}),
    ...(typeof flags.domain === 'string' ? {domain: flags.domain} : {})
  };
  return {jwt: await createVerifiablePresentationJwt(presentation, holder, options)};
}

// {jwt} with --challenge and --domain: verifyPresentation (the holder's signature with an
// `authentication` key, nonce = challenge, aud contains domain), then verifyCredential on each
// VC-JWT inside it, which did-jwt-vc's verifyPresentation does not do itself.
// -> {verified, presentationVerified, holder, error?, credentialResults?: [{verified, issuer,
// subject, error?}]}; a relying party compares each subject with the holder.
export async function cmdVcJwtVerifyPresentation({flags, input}) {
  const challenge = requireFlag(flags, 'challenge');
  const domain = requireFlag(flags, 'domain');
  let presented;
  try {
    presented = await verifyPresentation(input().jwt, resolver,
      {challenge, domain, proofPurpose: 'authentication'});
  } catch(error) {
    return {...failure(error), presentationVerified: false};
  }
  const credentialResults = [];
  for(const credential of [presented.payload.vp?.verifiableCredential ?? []].flat()) {
    credentialResults.push(typeof credential === 'string' ?
      await cmdVcJwtVerifyCredential({input: () => ({jwt: credential})}) :
      {verified: false, error: 'not a VC-JWT (an embedded credential object)'});
  }
  const failed = credentialResults.filter(r => !r.verified).map(r => r.error);
  return {
    verified: failed.length === 0, presentationVerified: true, holder: presented.issuer,
    ...(failed.length ? {error: failed.join('; ')} : {}),
    credentialResults: credentialResults.map(({credential, ...rest}) => rest)
  };
}
