#!/usr/bin/env node
// Status list peer for skillpass interop tests: real status lists, made by other people's code.
//
//   bitstring  @digitalbazaar/vc-bitstring-status-list (createList / setStatus / createCredential)
//              makes a BitstringStatusListCredential with bit --index set, and peer.mjs (the
//              digitalbazaar signing stack, run as `peer.mjs serve` so nothing is copied) signs
//              it eddsa-rdfc-2022 with a fresh issuer key, together with two OB 3.0 / VC 2.0
//              credentials of that issuer whose BitstringStatusListEntry is at --index (revoked)
//              and at --valid-index (not set); and a second list, same URL, signed by another
//              issuer.
//   token      @sd-jwt/jwt-status-list makes a Token Status List (statuslist+jwt) with --index
//              set to --value (1 = INVALID), signed ES256 with a fresh key (@sd-jwt/crypto-nodejs)
//              that it prints as a public JWK and as JWT VC Issuer Metadata; and, through
//              peer.mjs sdjwt-issue, an SD-JWT VC of the same issuer whose status names the index.
//
// Usage: node status.mjs bitstring [--index 7] [--valid-index 8] [--url URL] [--purpose revocation]
//        node status.mjs token [--index 3] [--value 1] [--bits 1] [--uri URI] [--iss URL]
// JSON out on stdout (cli.mjs conventions; `serve` as in peer.mjs).

import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {dirname, join} from 'node:path';

import {createCredential, createList} from '@digitalbazaar/vc-bitstring-status-list';
import {StatusList, createHeaderAndPayload} from '@sd-jwt/jwt-status-list';
import {ES256} from '@sd-jwt/crypto-nodejs';

import {UsageError, runCli} from './cli.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const LIST_LENGTH = 131072; // Bitstring Status List §3.2: the minimum, 16KB

function intFlag(flags, name, fallback) {
  const value = flags[name] ?? fallback;
  const number = Number(value);
  if(!Number.isInteger(number) || number < 0) {
    throw new UsageError(`--${name} must be a whole number (got ${value})`);
  }
  return number;
}

// One `node peer.mjs serve` for every signing step of a run.
function peerSession() {
  const child = spawn(process.execPath, [join(HERE, 'peer.mjs'), 'serve'],
    {cwd: HERE, stdio: ['pipe', 'pipe', 'inherit']});
  const lines = createInterface({input: child.stdout})[Symbol.asyncIterator]();
  return {
    async run(args, input) {
      child.stdin.write(JSON.stringify({args, input}) + '\n');
      const {value, done} = await lines.next();
      if(done) {
        throw new Error(`peer.mjs ${args[0]} gave no reply`);
      }
      const reply = JSON.parse(value);
      if(reply.code !== 0) {
        throw new Error(`peer.mjs ${args.join(' ')}: ${reply.output.error}`);
      }
      return reply.output;
    },
    close() {
      child.stdin.end();
    }
  };
}

function ob3Credential({n, listUrl, index, purpose}) {
  const credential = JSON.parse(
    readFileSync(join(HERE, 'fixtures', 'ob3-unsigned.json'), 'utf8'));
  credential.id = `urn:uuid:5d1b7c9e-3f2a-4b6c-8d0e-${String(n).padStart(12, '0')}`;
  credential.credentialStatus = {
    id: `${listUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: listUrl
  };
  return credential;
}

async function cmdBitstring({flags}) {
  const index = intFlag(flags, 'index', 7);
  const validIndex = intFlag(flags, 'valid-index', index + 1);
  const listUrl = flags.url ?? 'https://status.example.edu/lists/1';
  const purpose = flags.purpose ?? 'revocation';
  if(index === validIndex) {
    throw new UsageError('--valid-index must differ from --index');
  }
  const list = await createList({length: LIST_LENGTH});
  list.setStatus(index, true);
  const unsignedList = await createCredential({id: listUrl, list, statusPurpose: purpose});
  unsignedList.validFrom = '2026-01-01T00:00:00Z';
  const peer = peerSession();
  try {
    const issuerKey = await peer.run(['keygen', '--type', 'Ed25519']);
    const otherKey = await peer.run(['keygen', '--type', 'Ed25519']);
    const sign = (document, key) => peer.run(
      ['issue', '--suite', 'eddsa-rdfc-2022', '--key', JSON.stringify(key)], document);
    return {
      index, validIndex, listUrl, purpose,
      issuer: issuerKey.did,
      otherIssuer: otherKey.did,
      statusList: await sign(unsignedList, issuerKey),
      revokedCredential: await sign(ob3Credential({n: 1, listUrl, index, purpose}), issuerKey),
      validCredential: await sign(
        ob3Credential({n: 2, listUrl, index: validIndex, purpose}), issuerKey),
      otherIssuerList: await sign(unsignedList, otherKey)
    };
  } finally {
    peer.close();
  }
}

function base64url(text) {
  return Buffer.from(text, 'utf8').toString('base64url');
}

async function cmdToken({flags}) {
  const index = intFlag(flags, 'index', 3);
  const bits = intFlag(flags, 'bits', 1);
  const value = intFlag(flags, 'value', 1);
  const uri = flags.uri ?? 'https://status.example.edu/token-lists/1';
  const iss = flags.iss ?? 'https://issuer.example.edu';
  const length = Math.max(16, index + 8);
  const statuses = new Array(length).fill(0);
  statuses[index] = value;
  const list = new StatusList(statuses, bits);
  const {privateKey, publicKey} = await ES256.generateKeyPair();
  const kid = 'status-key-1';
  const iat = Math.floor(Date.now() / 1000);
  const {header, payload} = createHeaderAndPayload(
    list, {iss, sub: uri, iat, exp: iat + 30 * 24 * 3600, ttl: 43200},
    {alg: 'ES256', kid});
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = await (await ES256.getSigner(privateKey))(signingInput);
  const publicJwk = {kty: publicKey.kty, crv: publicKey.crv, x: publicKey.x, y: publicKey.y, kid};
  const peer = peerSession();
  let credential;
  try {
    const issued = await peer.run(['sdjwt-issue', '--key', JSON.stringify(privateKey)], {
      payload: {
        iss, iat, vct: 'https://credentials.example.edu/skill',
        name: 'Data Literacy Foundations',
        status: {status_list: {idx: index, uri}}
      },
      disclosureFrame: {_sd: ['name']},
      header: {kid, typ: 'dc+sd-jwt'}
    });
    credential = issued.sdJwt;
  } finally {
    peer.close();
  }
  return {
    index, bits, value, uri, iss,
    statusListJwt: `${signingInput}.${signature}`,
    publicJwk,
    issuerMetadata: {issuer: iss, jwks: {keys: [publicJwk]}},
    sdJwt: credential
  };
}

runCli({name: 'status.mjs', commands: {bitstring: cmdBitstring, token: cmdToken}});
