// The SD-JWT VC and VPQR operations `python bench/bench.py` times against skillpass, loaded
// on demand by peer.mjs's bench-load (which holds the digitalbazaar ones and the timing loop).
// Each takes the inputs the Python side wrote, so that both sides work on the same bytes.
//
//   sdjwt-parse    {issued}                                 @sd-jwt/sd-jwt-vc getClaims
//   sdjwt-present  {issued, frame, holderJwk, aud, nonce}   present with a KB-JWT (ES256)
//   sdjwt-verify   {presentation, issuerJwk, aud, nonce}    verify, KB-JWT nonce and aud
//   vpqr-encode    {vp}                                     @digitalcredentials/vpqr toQrCode
//   vpqr-decode    {text}                                   @digitalcredentials/vpqr fromQrCode

import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest, generateSalt} from '@sd-jwt/crypto-nodejs';
import * as dccVpqr from '@digitalcredentials/vpqr';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';

import {UsageError, staticDocuments} from './cli.mjs';

// One instance with every key the job gives, built before the timing (as a long-running
// verifier would keep it); the holder's key for a KB-JWT check comes from the token's cnf.
async function sdJwtFor(job) {
  const cnf = job.presentation ? claimsOf(job.presentation).cnf?.jwk : undefined;
  return new SDJwtVcInstance({
    hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt,
    signAlg: 'ES256', kbSignAlg: 'ES256',
    verifier: job.issuerJwk ? await ES256.getVerifier(job.issuerJwk) : undefined,
    kbSigner: job.holderJwk ? await ES256.getSigner(job.holderJwk) : undefined,
    kbVerifier: cnf ? await ES256.getVerifier(cnf) : undefined
  });
}

function claimsOf(compact) {
  const payload = compact.split('~')[0].split('.')[1];
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

function keyBindingAudience(compact) {
  const parts = compact.split('~');
  return claimsOf(parts[parts.length - 1]).aud;
}

export async function otherOperation(job) {
  if(job.op.startsWith('sdjwt-')) {
    const sdjwt = await sdJwtFor(job);
    switch(job.op) {
      case 'sdjwt-parse':
        return () => sdjwt.getClaims(job.issued);
      case 'sdjwt-present':
        return () => sdjwt.present(job.issued, job.frame, {
          kb: {payload: {iat: Math.floor(Date.now() / 1000), aud: job.aud, nonce: job.nonce}}
        });
      case 'sdjwt-verify':
        return async () => {
          const result = await sdjwt.verify(job.presentation, {keyBindingNonce: job.nonce});
          if(!result.kb || keyBindingAudience(job.presentation) !== job.aud) {
            throw new Error('key binding missing or for another audience');
          }
          return result;
        };
      default:
        break;
    }
  }
  const loader = new JsonLdDocumentLoader();
  loader.addDocuments({documents: staticDocuments()});
  const documentLoader = loader.build();
  if(job.op === 'vpqr-encode') {
    return () => dccVpqr.toQrCode({vp: job.vp, documentLoader});
  }
  if(job.op === 'vpqr-decode') {
    return () => dccVpqr.fromQrCode({text: job.text, documentLoader});
  }
  throw new UsageError(`unknown bench operation ${job.op}`);
}
