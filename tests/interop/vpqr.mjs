#!/usr/bin/env node
// VPQR / CBOR-LD peer for skillpass interop tests.
//
// Two independent JavaScript implementations, pinned in package-lock.json:
//   dcc = @digitalcredentials/vpqr 2.2.1 on @digitalcredentials/cborld 4.3.4
//         (legacy tag 0x0501, base32 "B" multibase)
//   db  = @digitalbazaar/vpqr 6.0.0 on @digitalbazaar/cborld 8.1.0
//         (CBOR-LD 1.0 tag 0xcb1d by default, base45 "R" multibase by default)
// The document loader is offline: contexts come only from the npm context
// packages peer.mjs also uses, never the network. Proofs are verified with
// peer.mjs's verify-presentation, not here.
//
// Usage: node vpqr.mjs <subcommand> [--flag value ...] [input.json|-]
// JSON in (file argument or stdin), JSON out on stdout. A failed run exits 1
// (2 for bad usage) and prints {"error", "name", "code"?}.
//
//   encode [--lib dcc|db] [--format cbor-ld-1.0|legacy-range|legacy-singleton]
//          [--registry N] [--multibase B|R]   input {vp}  -> {text, hex, version}
//   decode [--lib dcc|db]                      input {text} -> {vp}
//   serve    one request per stdin line {"args": [...], "input": ...},
//            one reply line {"code", "output"}

import * as dccVpqr from '@digitalcredentials/vpqr';
import * as dbVpqr from '@digitalbazaar/vpqr';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';

import {UsageError, defaultErrorOutput, runCli, staticDocuments} from './cli.mjs';

function makeDocumentLoader() {
  const loader = new JsonLdDocumentLoader();
  loader.addDocuments({documents: staticDocuments()});
  // throws "Document not found" for anything else: never fetches
  return loader.build();
}

const documentLoader = makeDocumentLoader();

function library(flags) {
  const lib = flags.lib ?? 'dcc';
  if(lib !== 'dcc' && lib !== 'db') {
    throw new UsageError(`--lib must be dcc or db (got ${lib})`);
  }
  return lib;
}

function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

async function cmdEncode({flags, input}) {
  const {vp} = input();
  if(library(flags) === 'dcc') {
    const {payload, rawCborldBytes, version} = await dccVpqr.toQrCode(
      {vp, documentLoader});
    return {text: payload, hex: hex(rawCborldBytes), version};
  }
  const format = flags.format ?? 'cbor-ld-1.0';
  const options = {
    vp, documentLoader, format,
    qrMultibaseEncoding: flags.multibase ?? 'R'
  };
  if(format !== 'legacy-singleton') {
    options.registryEntryId = Number(flags.registry ?? 1);
  }
  const {payload, rawCborldBytes, version} = await dbVpqr.toQrCode(options);
  return {text: payload, hex: hex(rawCborldBytes), version};
}

async function cmdDecode({flags, input}) {
  const {text} = input();
  const {vp} = library(flags) === 'dcc' ?
    await dccVpqr.fromQrCode({text, documentLoader}) :
    await dbVpqr.fromQrCode({text, documentLoader});
  return {vp};
}

function errorOutput(error) {
  const output = defaultErrorOutput(error);
  if(error.value?.code ?? error.code) {
    output.code = error.value?.code ?? error.code;
  }
  return output;
}

runCli({name: 'vpqr.mjs', commands: {encode: cmdEncode, decode: cmdDecode}, errorOutput});
