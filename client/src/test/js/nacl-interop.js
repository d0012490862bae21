// Interop between the Java SDK's NaCl code and libsodium.js, run by NaclLibsodiumInteropTest.
// Usage: node nacl-interop.js IN.json OUT.json
// IN holds boxes the Java side made; this script opens each with libsodium and checks the plaintext,
// then writes OUT with boxes libsodium made for the Java side to open. Exit status 0 only when every
// Java-made box opened to the expected plaintext and every tampered one was refused.
'use strict';
const fs = require('fs');
const sodium = require('libsodium-wrappers');

function hex(s) { return sodium.from_hex(s); }
function toHex(b) { return sodium.to_hex(b); }

(async () => {
  await sodium.ready;
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const failures = [];
  const check = (name, cond) => { if (!cond) failures.push(name); };

  // 1. Java → libsodium
  const jsKeys = sodium.crypto_box_keypair();
  const javaPk = hex(input.javaPublicKey);
  const jsFromJavaSk = hex(input.jsSecretKey);
  const jsPkFromSk = sodium.crypto_scalarmult_base(jsFromJavaSk);
  check('public key derivation', toHex(jsPkFromSk) === input.jsPublicKey);

  for (const item of input.boxes) {
    const m = sodium.crypto_box_open_easy(hex(item.box), hex(item.nonce), javaPk, jsFromJavaSk);
    check('box ' + item.label, toHex(m) === item.message);
    const bad = hex(item.box); bad[bad.length - 1] ^= 1;
    let refused = false;
    try { sodium.crypto_box_open_easy(bad, hex(item.nonce), javaPk, jsFromJavaSk); } catch (e) { refused = true; }
    check('tampered box refused ' + item.label, refused);
  }
  for (const item of input.secretboxes) {
    const m = sodium.crypto_secretbox_open_easy(hex(item.box), hex(item.nonce), hex(item.key));
    check('secretbox ' + item.label, toHex(m) === item.message);
  }
  for (const item of input.sealed) {
    const m = sodium.crypto_box_seal_open(hex(item.box), jsPkFromSk, jsFromJavaSk);
    check('sealed ' + item.label, toHex(m) === item.message);
  }
  for (const item of input.files || []) {
    // The Tafel chunk format (docs/client.md): 64 KiB plaintext chunks, each crypto_secretbox_easy
    // with nonce = u64be(index) ‖ u8(last ? 1 : 0) ‖ 15 zero bytes.
    const ct = hex(item.ciphertext);
    const key = hex(item.key);
    const chunk = item.chunkSize + sodium.crypto_secretbox_MACBYTES;
    const parts = [];
    let index = 0;
    for (let off = 0; off < ct.length || index === 0; off += chunk, index++) {
      const end = Math.min(off + chunk, ct.length);
      const last = end === ct.length;
      const nonce = new Uint8Array(24);
      new DataView(nonce.buffer).setBigUint64(0, BigInt(index));
      nonce[8] = last ? 1 : 0;
      parts.push(sodium.crypto_secretbox_open_easy(ct.subarray(off, end), nonce, key));
      if (last) break;
    }
    const plain = Buffer.concat(parts.map((p) => Buffer.from(p)));
    check('file ' + item.label, plain.toString('hex') === item.plaintext);
  }

  // 2. libsodium → Java
  const out = { jsPublicKey: toHex(jsKeys.publicKey), boxes: [], secretboxes: [], sealed: [] };
  for (const label of ['empty', 'short', 'long']) {
    const len = { empty: 0, short: 23, long: 70000 }[label];
    const message = sodium.randombytes_buf(len);
    const nonce = sodium.randombytes_buf(sodium.crypto_box_NONCEBYTES);
    out.boxes.push({ label, nonce: toHex(nonce), message: toHex(message),
      box: toHex(sodium.crypto_box_easy(message, nonce, javaPk, jsKeys.privateKey)) });
    const key = sodium.crypto_secretbox_keygen();
    out.secretboxes.push({ label, key: toHex(key), nonce: toHex(nonce), message: toHex(message),
      box: toHex(sodium.crypto_secretbox_easy(message, nonce, key)) });
    out.sealed.push({ label, message: toHex(message), box: toHex(sodium.crypto_box_seal(message, javaPk)) });
  }
  out.failures = failures;
  fs.writeFileSync(process.argv[3], JSON.stringify(out));
  if (failures.length) {
    console.error('libsodium.js refused: ' + failures.join(', '));
    process.exit(1);
  }
})().catch((e) => { console.error(e && e.stack || e); process.exit(2); });
