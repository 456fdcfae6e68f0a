#!/usr/bin/env node
// Compiles the Solidity sources in this folder with the pinned solc from npm and writes one JSON
// artifact (ABI + creation bytecode) per contract into artifacts/. The artifacts are committed and
// embedded into ExCraft.Swaps.Ethereum; they are never edited by hand. A test compiles again into
// a temporary folder (--out DIR) and compares the files byte for byte.
//
//   node contracts/compile.js            write swaps/contracts/artifacts/*.json
//   node contracts/compile.js --out DIR  write them into DIR instead
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const here = __dirname;
// Contracts that get an artifact, with the file that defines each. Bases (TestTokenBase) do not.
const contracts = [
  ['ExCraftHtlc.sol', 'ExCraftHtlc'],
  ['test/StandardToken.sol', 'StandardToken'],
  ['test/NoReturnToken.sol', 'NoReturnToken'],
  ['test/FeeOnTransferToken.sol', 'FeeOnTransferToken'],
  ['test/StoringReceiver.sol', 'StoringReceiver'],
];
// Fixed settings: the EVM version is pinned (cancun: transient storage) so a solc default change
// cannot move the bytecode.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};

function main(argv) {
  const outIndex = argv.indexOf('--out');
  const outDir = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : path.join(here, 'artifacts');
  const sources = {};
  for (const [file] of contracts) sources[file] = { content: read(file) };
  const input = { language: 'Solidity', sources, settings };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  for (const e of output.errors || []) process.stderr.write(e.formattedMessage + '\n');
  if (errors.length > 0 || (output.errors || []).length > 0) {
    // Warnings fail too, as in the C# build.
    process.stderr.write('compile.js: solc reported problems, no artifact written\n');
    process.exit(1);
  }
  fs.mkdirSync(outDir, { recursive: true });
  for (const [file, name] of contracts) {
    const compiled = output.contracts[file][name];
    const artifact = {
      contractName: name,
      sourceName: file,
      compiler: 'solc ' + solc.version(),
      settings: { optimizer: settings.optimizer, evmVersion: settings.evmVersion },
      abi: compiled.abi,
      bytecode: '0x' + compiled.evm.bytecode.object,
    };
    fs.writeFileSync(path.join(outDir, name + '.json'), JSON.stringify(artifact, null, 2) + '\n');
  }
  process.stdout.write(`compile.js: ${contracts.length} artifacts in ${outDir}\n`);
}

function read(file) {
  return fs.readFileSync(path.join(here, file), 'utf8');
}

// Imports are resolved inside this folder only.
function findImport(importPath) {
  const full = path.join(here, importPath);
  if (!full.startsWith(here + path.sep) || !fs.existsSync(full)) return { error: 'not found: ' + importPath };
  return { contents: fs.readFileSync(full, 'utf8') };
}

main(process.argv.slice(2));
