// Builds and signs the worked-example ExCraft transaction of docs/spec/transactions.md using
// only ethers v6 primitives (encodeRlp, toBeArray, toUtf8Bytes, keccak256, SigningKey), and
// prints its wire form as 0x-hex. `node build-tx.mjs --verbose` also prints every
// intermediate value. The C# test TransactionTests.NodeEthersScript_BuildsThePinnedWireBytes
// runs this script and compares its output with the bytes pinned in the test.
//
// Setup: npm install (in this folder), then: node build-tx.mjs

import { computeAddress, concat, encodeRlp, getBytes, hexlify, keccak256, SigningKey, toBeArray, toUtf8Bytes } from "ethers";

const verbose = process.argv.includes("--verbose");

// --- inputs (docs/spec/transactions.md, "Worked example") ---------------------------------
// Dev account 0 of the local dev chain: secret = keccak256(utf8("excraft dev account 0")).
// Never use the dev keys on a real network.
const senderKey = keccak256(toUtf8Bytes("excraft dev account 0"));
// Dev account 1's 20-byte address (ext1etsxkf5eatvhyuv2xfz5vtyqz02g0lje33fz9m).
const to = "0xcae06b2699ead972718a3245462c8013d487fe59";
const chainId = 9545n;                 // excraft-dev
const nonce = 0n;
const fee = 10_000_000_000_000n;      // 0.00001 EXT in base units (18 decimals)
const KIND_TRANSFER = 1n;
const asset = "EXT";
const amount = 1_500_000_000_000_000_000n; // 1.5 EXT

// --- encoding ------------------------------------------------------------------------------
// RLP integers: big-endian, no leading zero bytes, zero is the empty byte string (0x80).
const uint = (v) => toBeArray(v);

const payload = [getBytes(to), toUtf8Bytes(asset), uint(amount)];
const unsignedFields = [uint(chainId), uint(nonce), uint(fee), uint(KIND_TRANSFER), payload];
const unsigned = encodeRlp(unsignedFields);
const signingHash = keccak256(unsigned);

// SigningKey.sign gives a deterministic (RFC 6979) low-S signature; yParity is the recovery id.
const sig = new SigningKey(senderKey).sign(signingHash);
const signature = concat([sig.r, sig.s, new Uint8Array([sig.yParity])]);

const wire = encodeRlp([...unsignedFields, signature]);
const txHash = keccak256(wire);

if (verbose) {
  const show = (name, value) => console.log(`${name.padEnd(14)} ${value}`);
  show("private key", senderKey);
  show("sender", computeAddress(new SigningKey(senderKey).publicKey).toLowerCase());
  show("payload", encodeRlp(payload));
  show("unsigned", unsigned);
  show("signing hash", signingHash);
  show("r", sig.r);
  show("s", sig.s);
  show("yParity", sig.yParity);
  show("signature", hexlify(signature));
  show("wire", wire);
  show("tx hash", txHash);
} else {
  console.log(wire);
}
