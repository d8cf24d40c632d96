#!/usr/bin/env node
// Independent verifiable-credential peer for skillpass interop tests.
//
// Everything cryptographic here is digitalbazaar's JavaScript stack from npm,
// so a bug shared with skillpass's Python code cannot hide behind a round trip.
// The document loader is offline: contexts come only from npm context
// packages, did:key is resolved locally, and `--documents FILE` adds more.
//
// Usage: node peer.mjs <subcommand> [--flag value ...] [input.json|-]
// JSON input is read from the file argument or stdin; JSON goes to stdout.
// A failed run exits non-zero and prints {"error": ..., "name": ...}.
// A verification that ran but failed is not a failed run: it prints
// {"verified": false, "error": ...} and exits 0.

import {readFileSync, writeFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {dirname, join} from 'node:path';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from
  '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import * as ecdsaSd2023 from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as ecdsaJcs2019 from '@digitalbazaar/ecdsa-jcs-2019-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519Signature2018} from '@digitalbazaar/ed25519-signature-2018';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {Ed25519VerificationKey2020} from
  '@digitalbazaar/ed25519-verification-key-2020';
import {driver as didKeyDriverFactory} from '@digitalbazaar/did-method-key';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';
import {cmdSdJwtIssue, cmdSdJwtKeygen, cmdSdJwtPresent, cmdSdJwtVerify} from './sdjwt.mjs';
import {cmdVcJwtIssue, cmdVcJwtKeygen, cmdVcJwtPresent, cmdVcJwtVerifyCredential,
  cmdVcJwtVerifyPresentation} from './vcjwt.mjs';
import * as rdfCanonize from 'rdf-canonize';

import {UsageError, parseJson, readJson, runCli, staticDocuments} from './cli.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const SUITES = [
  'eddsa-rdfc-2022', 'ecdsa-rdfc-2019', 'ecdsa-sd-2023', 'eddsa-jcs-2022',
  'ecdsa-jcs-2019', 'Ed25519Signature2020', 'Ed25519Signature2018'
];
const ED25519_SUITES = new Set([
  'eddsa-rdfc-2022', 'eddsa-jcs-2022', 'Ed25519Signature2020',
  'Ed25519Signature2018'
]);
const LEGACY_SUITES = new Set(['Ed25519Signature2020', 'Ed25519Signature2018']);
const VC_V1 = 'https://www.w3.org/2018/credentials/v1';

// --key and --documents take a file path or inline JSON.
function jsonOption(value) {
  return value.trim().startsWith('{') ? parseJson(value) : readJson(value);
}

// "/a,/b" or a JSON array of pointers (for pointers that contain commas).
function parsePointers(value) {
  if(value === undefined || value === true) {
    return [];
  }
  if(value.trim().startsWith('[')) {
    return JSON.parse(value);
  }
  return value.split(',').map(p => p.trim()).filter(p => p.length > 0);
}

function requireSuite(flags, allowed = SUITES) {
  const suite = flags.suite;
  if(!allowed.includes(suite)) {
    throw new UsageError(
      `--suite must be one of ${allowed.join(', ')} (got ${suite})`);
  }
  return suite;
}

// ---------------------------------------------------------- document loader

function makeDidKeyDriver() {
  const driver = didKeyDriverFactory();
  // Ed25519VerificationKey2020 is accepted by every Ed25519 suite here
  // (Ed25519Signature2018 converts it); this is what digitalbazaar's own
  // security-document-loader does.
  driver.use({
    multibaseMultikeyHeader: 'z6Mk',
    fromMultibase: Ed25519VerificationKey2020.from
  });
  driver.use({multibaseMultikeyHeader: 'zDna', fromMultibase: EcdsaMultikey.from});
  driver.use({multibaseMultikeyHeader: 'z82L', fromMultibase: EcdsaMultikey.from});
  return driver;
}

// Finds `url` inside extra documents: exact match, or a fragment node
// (e.g. a did:web verification method) inside the document at the base URL.
function findExtraDocument(extra, url) {
  if(extra.has(url)) {
    return extra.get(url);
  }
  const [base, fragment] = url.split('#');
  const container = fragment !== undefined ? extra.get(base) : undefined;
  if(!container) {
    return undefined;
  }
  for(const node of container.verificationMethod ?? []) {
    if(typeof node === 'object' &&
      (node.id === url || node.id === `#${fragment}`)) {
      return {'@context': container['@context'], ...node};
    }
  }
  return undefined;
}

function makeDocumentLoader({extraDocumentsPath} = {}) {
  const loader = new JsonLdDocumentLoader();
  loader.addDocuments({documents: staticDocuments()});
  const staticLoader = loader.build();
  const extra = new Map(Object.entries(
    extraDocumentsPath ? jsonOption(extraDocumentsPath) : {}));
  const didKey = makeDidKeyDriver();
  return async url => {
    const found = findExtraDocument(extra, url);
    if(found) {
      return {contextUrl: null, documentUrl: url, document: found};
    }
    if(url.startsWith('did:key:')) {
      const document = await didKey.get({url});
      return {contextUrl: null, documentUrl: url, document};
    }
    // throws "Document not found" for anything else: never fetches
    return staticLoader(url);
  };
}

// --------------------------------------------------------------------- keys

function keyTypeOf(publicKeyMultibase) {
  if(publicKeyMultibase.startsWith('z6Mk')) {
    return 'Ed25519';
  }
  if(publicKeyMultibase.startsWith('zDn')) {
    return 'P-256';
  }
  if(publicKeyMultibase.startsWith('z82')) {
    return 'P-384';
  }
  throw new UsageError(`unsupported key ${publicKeyMultibase.slice(0, 8)}...`);
}

async function generateKey(type) {
  if(type === 'Ed25519') {
    return Ed25519Multikey.generate();
  }
  if(type === 'P-256' || type === 'P-384') {
    return EcdsaMultikey.generate({curve: type});
  }
  throw new UsageError(`--type must be Ed25519, P-256 or P-384 (got ${type})`);
}

async function describeKey(keyPair) {
  // canonicalize: 32-byte Ed25519 seed (the Multikey spec form), not seed+pub
  const exported = await keyPair.export(
    {publicKey: true, secretKey: true, canonicalize: true});
  const {publicKeyMultibase, secretKeyMultibase} = exported;
  const did = `did:key:${publicKeyMultibase}`;
  return {
    type: keyTypeOf(publicKeyMultibase),
    publicKeyMultibase,
    secretKeyMultibase,
    did,
    verificationMethod: `${did}#${publicKeyMultibase}`
  };
}

// Accepts the keygen output (or any object with the two multibase values).
async function importKey(description) {
  const {publicKeyMultibase, secretKeyMultibase} = description;
  if(!publicKeyMultibase || !secretKeyMultibase) {
    throw new UsageError(
      'key file needs publicKeyMultibase and secretKeyMultibase');
  }
  const did = `did:key:${publicKeyMultibase}`;
  const id = `${did}#${publicKeyMultibase}`;
  const type = keyTypeOf(publicKeyMultibase);
  const lib = type === 'Ed25519' ? Ed25519Multikey : EcdsaMultikey;
  const keyPair = await lib.from({
    type: 'Multikey', id, controller: did, publicKeyMultibase,
    secretKeyMultibase
  });
  return {keyPair, type, did, id};
}

async function loadOrGenerateKey({flags, suite}) {
  if(flags.key) {
    return importKey(jsonOption(flags.key));
  }
  const type = ED25519_SUITES.has(suite) ? 'Ed25519' : (flags.curve ?? 'P-256');
  const keyPair = await generateKey(type);
  const description = await describeKey(keyPair);
  if(flags['key-out']) {
    writeFileSync(flags['key-out'], JSON.stringify(description, null, 2));
  }
  return importKey(description);
}

function assertKeyFitsSuite(suite, keyType) {
  const wantsEd = ED25519_SUITES.has(suite);
  if(wantsEd !== (keyType === 'Ed25519')) {
    throw new UsageError(`suite ${suite} cannot sign with a ${keyType} key`);
  }
  if(suite === 'ecdsa-sd-2023' && keyType !== 'P-256') {
    throw new UsageError('ecdsa-sd-2023 signs with P-256 keys only here');
  }
}

// ------------------------------------------------------------------- suites

function signingSuite({suite, keyPair, mandatoryPointers = []}) {
  const signer = keyPair.signer();
  switch(suite) {
    case 'eddsa-rdfc-2022':
      return new DataIntegrityProof({signer, cryptosuite: eddsaRdfc2022});
    case 'ecdsa-rdfc-2019':
      return new DataIntegrityProof({signer, cryptosuite: ecdsaRdfc2019});
    case 'ecdsa-sd-2023':
      return new DataIntegrityProof({
        signer,
        cryptosuite: ecdsaSd2023.createSignCryptosuite({mandatoryPointers})
      });
    case 'eddsa-jcs-2022':
      return new DataIntegrityProof({
        signer, cryptosuite: eddsaJcs2022.createSignCryptosuite()
      });
    case 'ecdsa-jcs-2019':
      return new DataIntegrityProof({
        signer, cryptosuite: ecdsaJcs2019.createSignCryptosuite()
      });
    case 'Ed25519Signature2020':
      return new Ed25519Signature2020({signer});
    case 'Ed25519Signature2018':
      return new Ed25519Signature2018({signer});
    default:
      throw new UsageError(`unknown suite ${suite}`);
  }
}

// Every suite this peer understands; jsonld-signatures picks by proof type
// and DataIntegrityProof by cryptosuite name.
function verifyingSuites() {
  return [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new DataIntegrityProof({cryptosuite: ecdsaRdfc2019}),
    new DataIntegrityProof({cryptosuite: ecdsaSd2023.createVerifyCryptosuite()}),
    new DataIntegrityProof({cryptosuite: eddsaJcs2022.createVerifyCryptosuite()}),
    new DataIntegrityProof({cryptosuite: ecdsaJcs2019.createVerifyCryptosuite()}),
    new Ed25519Signature2020(),
    new Ed25519Signature2018()
  ];
}

// ------------------------------------------------------------------ results

function errorMessages(error, out = []) {
  if(!error) {
    return out;
  }
  if(Array.isArray(error)) {
    error.forEach(e => errorMessages(e, out));
    return out;
  }
  if(Array.isArray(error.errors) && error.errors.length > 0) {
    error.errors.forEach(e => errorMessages(e, out));
    return out;
  }
  out.push(error.message ?? String(error));
  return out;
}

function summarizeError(result) {
  const messages = errorMessages(result.error);
  for(const r of result.results ?? []) {
    if(!r.verified) {
      errorMessages(r.error, messages);
    }
  }
  return [...new Set(messages)].join('; ') || 'not verified';
}

function verificationSummary(result) {
  const summary = {verified: result.verified === true};
  if(!summary.verified) {
    summary.error = summarizeError(result);
  }
  return summary;
}

function statusOptions(flags) {
  // Status lists need network or a fixture; the flag keeps that explicit.
  return flags['ignore-status'] ?
    {checkStatus: async () => ({verified: true})} : {};
}

// --------------------------------------------------------------- operations

function setIssuer(credential, did) {
  if(credential.issuer && typeof credential.issuer === 'object') {
    credential.issuer = {...credential.issuer, id: did};
  } else {
    credential.issuer = did;
  }
}

async function issueCredential({credential, suite, key, mandatoryPointers,
  documentLoader}) {
  assertKeyFitsSuite(suite, key.type);
  const unsigned = structuredClone(credential);
  delete unsigned.proof;
  setIssuer(unsigned, key.did);
  return vc.issue({
    credential: unsigned,
    suite: signingSuite({suite, keyPair: key.keyPair, mandatoryPointers}),
    documentLoader
  });
}

async function deriveCredential({credential, selectivePointers, documentLoader}) {
  return vc.derive({
    verifiableCredential: credential,
    suite: new DataIntegrityProof({
      cryptosuite: ecdsaSd2023.createDiscloseCryptosuite({selectivePointers})
    }),
    documentLoader
  });
}

function verifyOptions(flags, documentLoader) {
  return {
    suite: verifyingSuites(),
    documentLoader,
    ...(flags.now ? {now: flags.now} : {}),
    ...statusOptions(flags)
  };
}

async function presentCredentials({credentials, suite, key, challenge, domain,
  documentLoader}) {
  assertKeyFitsSuite(suite, key.type);
  const allV1 = credentials.length > 0 && credentials.every(
    c => [c['@context']].flat()[0] === VC_V1);
  const presentation = vc.createPresentation({
    verifiableCredential: credentials,
    holder: key.did,
    version: allV1 ? 1.0 : 2.0
  });
  return vc.signPresentation({
    presentation,
    suite: signingSuite({suite, keyPair: key.keyPair}),
    challenge,
    domain,
    documentLoader
  });
}

// -------------------------------------------------------------- subcommands

async function cmdKeygen({flags}) {
  const keyPair = await generateKey(flags.type ?? 'Ed25519');
  return describeKey(keyPair);
}

async function cmdIssue({flags, input, documentLoader}) {
  const suite = requireSuite(flags);
  const key = await loadOrGenerateKey({flags, suite});
  return issueCredential({
    credential: input(), suite, key,
    mandatoryPointers: parsePointers(flags.mandatory), documentLoader
  });
}

async function cmdVerifyCredential({flags, input, documentLoader}) {
  const result = await vc.verifyCredential({
    credential: input(),
    ...verifyOptions(flags, documentLoader)
  });
  return verificationSummary(result);
}

async function cmdDerive({flags, input, documentLoader}) {
  return deriveCredential({
    credential: input(),
    selectivePointers: parsePointers(flags.reveal),
    documentLoader
  });
}

async function cmdPresent({flags, input, documentLoader}) {
  const suite = requireSuite(flags, SUITES.filter(s => s !== 'ecdsa-sd-2023'));
  if(!flags.challenge) {
    throw new UsageError('--challenge is required');
  }
  const body = input();
  const credentials = Array.isArray(body) ? body : (body.credentials ?? []);
  const key = await loadOrGenerateKey({flags, suite});
  return presentCredentials({
    credentials, suite, key, challenge: flags.challenge,
    domain: flags.domain, documentLoader
  });
}

async function cmdVerifyPresentation({flags, input, documentLoader}) {
  if(!flags.challenge) {
    throw new UsageError('--challenge is required');
  }
  const presentation = input();
  // read before vc.verify, which may add to the document
  const binding = flags['require-binding'] ?
    holderBindingError(presentation) : null;
  const result = await vc.verify({
    presentation,
    challenge: flags.challenge,
    domain: flags.domain,
    ...verifyOptions(flags, documentLoader)
  });
  const summary = verificationSummary(result);
  summary.presentationVerified = result.presentationResult?.verified === true;
  if(result.credentialResults) {
    summary.credentialResults = result.credentialResults.map(
      r => ({id: r.credentialId, ...verificationSummary(r)}));
  }
  if(binding) {
    summary.verified = false;
    summary.error = summary.error ? `${summary.error}; ${binding}` : binding;
  }
  return summary;
}

// --require-binding (a flag without a value): @digitalbazaar/vc checks the
// holder's proof but not that the credentials are about the holder; a relying
// party has to. Returns the first reason they are not, or null.
function holderBindingError(presentation) {
  const holder = typeof presentation.holder === 'object' ?
    presentation.holder?.id : presentation.holder;
  if(!holder) {
    return 'holder binding: the presentation names no holder';
  }
  const credentials = [presentation.verifiableCredential ?? []].flat();
  for(const [index, credential] of credentials.entries()) {
    const subjects = [credential?.credentialSubject ?? []].flat();
    if(subjects.length === 0) {
      return `holder binding: credential ${index + 1} has no credentialSubject`;
    }
    for(const subject of subjects) {
      if(subject?.id !== holder) {
        return `holder binding: credential ${index + 1} is about ` +
          `${subject?.id ?? 'an unnamed subject'}, not the holder ${holder}`;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------- canonize

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_LANG_STRING =
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const DEEP_ITERATIONS = /^Maximum deep iterations exceeded/;

// A term as skillpass (pyld) writes it -> an RDF/JS term for rdf-canonize.
function rdfJsTerm(term) {
  if(!term) {
    return {termType: 'DefaultGraph', value: ''};
  }
  if(term.type === 'IRI') {
    return {termType: 'NamedNode', value: term.value};
  }
  if(term.type === 'blank node') {
    return {termType: 'BlankNode', value: term.value.replace(/^_:/, '')};
  }
  const datatype = term.datatype ??
    (term.language ? RDF_LANG_STRING : XSD_STRING);
  return {
    termType: 'Literal', value: term.value,
    datatype: {termType: 'NamedNode', value: datatype},
    ...(term.language ? {language: term.language} : {})
  };
}

function rdfJsQuad(quad) {
  return {
    subject: rdfJsTerm(quad.subject), predicate: rdfJsTerm(quad.predicate),
    object: rdfJsTerm(quad.object), graph: rdfJsTerm(quad.name)
  };
}

// rdf-canonize itself (RDFC-1.0, as jsonld.js runs it). Input {"nquads":
// "..."} is parsed by rdf-canonize (which drops repeated quads, as for
// ecdsa-sd-2023); {"quads": [...]} is handed over as a dataset, as
// jsonld.js does after toRDF. Output {limitExceeded: false, nquads,
// canonicalIdMap: [[input, c14n], ...] in issue order}, or {limitExceeded:
// true, error} when the work bound is reached: (blank nodes sharing a first
// degree hash) ** --max-work-factor (default 1) Hash N-Degree Quads calls,
// or exactly --max-deep-iterations calls. --hash sha256|sha384.
async function cmdCanonize({flags, input}) {
  const body = input();
  const canonicalIdMap = new Map();
  const options = {
    algorithm: 'RDFC-1.0', canonicalIdMap,
    messageDigestAlgorithm: flags.hash ?? 'sha256',
    ...(flags['max-work-factor'] !== undefined ?
      {maxWorkFactor: Number(flags['max-work-factor'])} : {}),
    ...(flags['max-deep-iterations'] !== undefined ?
      {maxDeepIterations: Number(flags['max-deep-iterations'])} : {})
  };
  let dataset;
  if(typeof body?.nquads === 'string') {
    dataset = body.nquads;
    options.inputFormat = 'application/n-quads';
  } else if(Array.isArray(body?.quads)) {
    dataset = body.quads.map(rdfJsQuad);
  } else {
    throw new UsageError('input must be {"nquads": "..."} or {"quads": [...]}');
  }
  try {
    const nquads = await rdfCanonize.canonize(dataset, options);
    return {limitExceeded: false, nquads, canonicalIdMap: [...canonicalIdMap]};
  } catch(error) {
    if(DEEP_ITERATIONS.test(error.message ?? '')) {
      return {limitExceeded: true, error: error.message};
    }
    throw error;
  }
}

// ------------------------------------------------------------------- bench

function fixture(name) {
  return JSON.parse(readFileSync(join(HERE, 'fixtures', name), 'utf8'));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeRuns(fn, runs, warmup) {
  for(let i = 0; i < warmup; i++) {
    await fn();
  }
  const times = [];
  for(let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const SD_BENCH_REVEAL = ['/credentialSubject/achievement/name'];

// Issues one OB3 credential, then times verify (or derive) in-process.
// For ecdsa-sd-2023, "verify" verifies a derived credential.
async function cmdBench({flags, documentLoader}) {
  const suite = requireSuite(flags);
  const op = flags.op ?? 'verify';
  const runs = Number(flags.runs ?? 50);
  const warmup = Number(flags.warmup ?? 5);
  const key = await loadOrGenerateKey({flags: {curve: flags.curve}, suite});
  const base = await issueCredential({
    credential: fixture(LEGACY_SUITES.has(suite) ?
      'ob3-v1-unsigned.json' : 'ob3-unsigned.json'),
    suite, key, mandatoryPointers: ['/issuer'], documentLoader
  });
  const derive = () => deriveCredential({
    credential: base, selectivePointers: SD_BENCH_REVEAL, documentLoader
  });
  let fn;
  if(op === 'derive') {
    if(suite !== 'ecdsa-sd-2023') {
      throw new UsageError('--op derive needs --suite ecdsa-sd-2023');
    }
    fn = derive;
  } else if(op === 'verify') {
    const credential = suite === 'ecdsa-sd-2023' ? await derive() : base;
    const options = verifyOptions(flags, documentLoader);
    fn = async () => {
      const result = await vc.verifyCredential({credential, ...options});
      if(!result.verified) {
        throw new Error(`bench credential did not verify: ${
          summarizeError(result)}`);
      }
    };
  } else if(op === 'issue') {
    fn = () => issueCredential({
      credential: fixture(LEGACY_SUITES.has(suite) ?
        'ob3-v1-unsigned.json' : 'ob3-unsigned.json'),
      suite, key, mandatoryPointers: ['/issuer'], documentLoader
    });
  } else {
    throw new UsageError('--op must be verify, derive or issue');
  }
  const medianMs = await timeRuns(fn, runs, warmup);
  return {
    suite, op, ...(flags.curve ? {curve: flags.curve} : {}), runs,
    median_ms: Number(medianMs.toFixed(3))
  };
}

// bench-load --file F: prepares one operation for `python bench/bench.py` on the inputs it
// wrote to F ({id, op, ...}); bench-time --id ID --runs N: times it, {samples: [ms, ...]}.
// Run through `serve`, so that the operations stay loaded between the blocks of runs the
// Python side alternates with its own. SD-JWT and VPQR operations live in bench.mjs.
const BENCH_OPERATIONS = new Map();

async function benchOperation(job, documentLoader) {
  const options = verifyOptions({}, documentLoader);
  const check = async result => {
    if(!result.verified) {
      throw new Error(`bench input did not verify: ${summarizeError(result)}`);
    }
  };
  switch(job.op) {
    case 'verify-credential':
      return async () => check(
        await vc.verifyCredential({credential: job.credential, ...options}));
    case 'derive':
      return () => deriveCredential({
        credential: job.credential, selectivePointers: job.reveal, documentLoader
      });
    case 'sign-presentation': {
      const key = await importKey(job.key);
      return () => presentCredentials({
        credentials: job.credentials, suite: job.suite, key,
        challenge: job.challenge, domain: job.domain, documentLoader
      });
    }
    case 'verify-presentation':
      return async () => check(await vc.verify({
        presentation: job.presentation, challenge: job.challenge,
        domain: job.domain, ...options
      }));
    default: {
      const {otherOperation} = await import('./bench.mjs');
      return otherOperation(job);
    }
  }
}

async function cmdBenchLoad({flags, documentLoader}) {
  const job = readJson(flags.file);
  const fn = await benchOperation(job, documentLoader);
  await fn();  // fails here, not in the timing, when the input is not what it should be
  BENCH_OPERATIONS.set(job.id, fn);
  return {id: job.id};
}

async function cmdBenchTime({flags}) {
  const fn = BENCH_OPERATIONS.get(flags.id);
  if(!fn) {
    throw new UsageError(`no bench operation ${flags.id}: bench-load it first`);
  }
  const samples = [];
  for(let i = 0; i < Number(flags.runs ?? 10); i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return {samples};
}

// --------------------------------------------------------------------- main

const COMMANDS = {
  keygen: cmdKeygen,
  issue: cmdIssue,
  'verify-credential': cmdVerifyCredential,
  derive: cmdDerive,
  present: cmdPresent,
  'verify-presentation': cmdVerifyPresentation,
  canonize: cmdCanonize,
  bench: cmdBench,
  'bench-load': cmdBenchLoad,
  'bench-time': cmdBenchTime,
  'sdjwt-keygen': cmdSdJwtKeygen,
  'sdjwt-issue': args => cmdSdJwtIssue({...args, jsonOption}),
  'sdjwt-present': args => cmdSdJwtPresent({...args, jsonOption}),
  'sdjwt-verify': args => cmdSdJwtVerify({...args, jsonOption}),
  'vcjwt-keygen': cmdVcJwtKeygen,
  'vcjwt-issue': args => cmdVcJwtIssue({...args, jsonOption}),
  'vcjwt-verify-credential': cmdVcJwtVerifyCredential,
  'vcjwt-present': args => cmdVcJwtPresent({...args, jsonOption}),
  'vcjwt-verify-presentation': cmdVcJwtVerifyPresentation
};

runCli({
  name: 'peer.mjs', commands: COMMANDS,
  context: flags => ({documentLoader: makeDocumentLoader({extraDocumentsPath: flags.documents})})
});
