#!/usr/bin/env node
// Composes the supergraph offline from supergraph.yaml (rover's format) with
// Apollo's own composition library, so no rover (which downloads plugins at
// run time) is needed.
//
//   node dev/compose-supergraph.mjs [SUPERGRAPH_YAML] [--out FILE]
//
// SUPERGRAPH_YAML defaults to the repository's supergraph.yaml. Schema file
// paths inside it are relative to the YAML file, as in rover. The supergraph
// SDL goes to stdout, or to FILE with --out. Composition errors are printed
// to stderr and the exit code is 1; bad usage or an unreadable file gives 2.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import YAML from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message, code = 2) {
  process.stderr.write(`compose-supergraph: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (err) {
  fail(err.message);
}
if (args.values.help) {
  process.stdout.write('usage: compose-supergraph.mjs [SUPERGRAPH_YAML] [--out FILE]\n');
  process.exit(0);
}
if (args.positionals.length > 1) fail('expected at most one supergraph.yaml path');

const configPath = resolve(args.positionals[0] ?? resolve(repoRoot, 'supergraph.yaml'));

/** Reads supergraph.yaml into [{ name, url, typeDefs }], one per subgraph. */
function loadServices(path) {
  let config;
  try {
    config = YAML.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    fail(`cannot read ${path}: ${err.message}`);
  }
  const subgraphs = Object.entries(config?.subgraphs ?? {});
  if (subgraphs.length === 0) fail(`${path} lists no subgraphs`);

  return subgraphs.map(([name, subgraph]) => {
    const file = subgraph?.schema?.file;
    // rover can also introspect a running subgraph; offline composition
    // only makes sense from the committed SDL files.
    if (!file) fail(`subgraph ${name}: only "schema: { file: ... }" is supported`);
    if (!subgraph.routing_url) fail(`subgraph ${name}: routing_url is missing`);
    const sdlPath = resolve(dirname(path), file);
    let sdl;
    try {
      sdl = readFileSync(sdlPath, 'utf8');
    } catch (err) {
      fail(`subgraph ${name}: cannot read ${sdlPath}: ${err.message}`);
    }
    try {
      return { name, url: subgraph.routing_url, typeDefs: parse(sdl) };
    } catch (err) {
      fail(`subgraph ${name}: ${sdlPath} is not valid GraphQL: ${err.message}`, 1);
    }
  });
}

const result = composeServices(loadServices(configPath));

if (result.errors) {
  process.stderr.write(`composition failed with ${result.errors.length} error(s):\n`);
  for (const error of result.errors) {
    const code = error.extensions?.code ? `[${error.extensions.code}] ` : '';
    process.stderr.write(`  - ${code}${error.message}\n`);
  }
  process.exit(1);
}

// Hints are advice (e.g. a field's type differs but is compatible); they
// never fail the build, so keep them short and off stdout.
for (const hint of result.hints) {
  process.stderr.write(`hint: [${hint.definition.code}] ${hint.message}\n`);
}

const sdl = result.supergraphSdl.endsWith('\n') ? result.supergraphSdl : `${result.supergraphSdl}\n`;
if (args.values.out) {
  writeFileSync(resolve(args.values.out), sdl);
  process.stderr.write(`compose-supergraph: wrote ${resolve(args.values.out)}\n`);
} else {
  process.stdout.write(sdl);
}
