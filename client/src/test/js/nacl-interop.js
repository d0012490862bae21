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

  // Sealed messages (docs/client.md): crypto_box_easy of
  // u8 version=1 ‖ 16 id ‖ i64be sendTime ms ‖ u8 L ‖ type ‖ u32be B ‖ body ‖ zero padding to 256k.
  const profilePk = input.javaProfilePublicKey ? hex(input.javaProfilePublicKey) : null;
  for (const item of input.messages || []) {
    const p = sodium.crypto_box_open_easy(hex(item.ciphertext), hex(item.nonce), profilePk, jsFromJavaSk);
    const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const typeLen = p[25];
    const type = Buffer.from(p.subarray(26, 26 + typeLen)).toString('ascii');
    const bodyLen = v.getUint32(26 + typeLen);
    const body = p.subarray(30 + typeLen, 30 + typeLen + bodyLen);
    const padding = p.subarray(30 + typeLen + bodyLen);
    check('message version', p[0] === 1);
    check('message id', toHex(p.subarray(1, 17)) === item.messageId);
    check('message time', v.getBigInt64(17).toString() === String(item.sentAtMillis));
    check('message type', type === item.type);
    check('message body', toHex(body) === item.body);
    check('message padding', p.length % 256 === 0 && padding.every((x) => x === 0));
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
  out.messages = [];
  if (profilePk) {
    const body = Buffer.from('Hausaufgabe: Seite 42, Aufgaben 1-3', 'utf8');
    const type = Buffer.from('text', 'ascii');
    const unpadded = 30 + type.length + body.length;
    const p = new Uint8Array(Math.ceil(unpadded / 256) * 256);
    const v = new DataView(p.buffer);
    const id = sodium.randombytes_buf(16);
    const sentAt = BigInt(Date.now());
    p[0] = 1;
    p.set(id, 1);
    v.setBigInt64(17, sentAt);
    p[25] = type.length;
    p.set(type, 26);
    v.setUint32(26 + type.length, body.length);
    p.set(body, 30 + type.length);
    const nonce = sodium.randombytes_buf(sodium.crypto_box_NONCEBYTES);
    out.messages.push({ messageId: toHex(id), nonce: toHex(nonce), sentAtMillis: sentAt.toString(),
      type: 'text', body: body.toString('hex'),
      ciphertext: toHex(sodium.crypto_box_easy(p, nonce, profilePk, jsFromJavaSk)) });
  }
  out.failures = failures;
  fs.writeFileSync(process.argv[3], JSON.stringify(out));
  if (failures.length) {
    console.error('libsodium.js refused: ' + failures.join(', '));
    process.exit(1);
  }
})().catch((e) => { console.error(e && e.stack || e); process.exit(2); });
