# Generates signaling-handshake.json and discovery.json with Python's `cryptography` and hashlib,
# independent of the Java code under test.
import json, hashlib, hmac, struct
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes, serialization

def priv(hexs): return X25519PrivateKey.from_private_bytes(bytes.fromhex(hexs))
def pub(p): return p.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
def hkdf(ikm, label): return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"", info=label.encode()).derive(ikm)
def mac(k, d): return hmac.new(k, d, hashlib.sha256).digest()
def transcript(label, ce, se, ch, sk, subject):
    return label.encode() + b"\0" + ce + se + ch + sk + struct.pack(">H", len(subject)) + subject

server_lt = priv("a8abababababababababababababababababababababababababababababab6b")
server_eph = priv("c8cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd4d")
client_eph = priv("d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef")
identity = priv("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
challenge = bytes(range(32))
ident_id = "K7Q2M9XA"
ce, se, sk, ip = pub(client_eph), pub(server_eph), pub(server_lt), pub(identity)
proof = mac(hkdf(server_lt.exchange(client_eph.public_key()), "tafel-server-v1"),
            transcript("tafel-server-v1", ce, se, challenge, sk, b""))
ikm = identity.exchange(server_eph.public_key()) + client_eph.exchange(server_eph.public_key())
login = mac(hkdf(ikm, "tafel-login-v1"), transcript("tafel-login-v1", ce, se, challenge, sk, ident_id.encode()))
register = mac(hkdf(ikm, "tafel-register-v1"), transcript("tafel-register-v1", ce, se, challenge, sk, ip))
def pow_bits(nonce, bits_needed):
    h = hashlib.sha256(b"tafel-pow-v1" + challenge + ip + struct.pack(">Q", nonce)).digest()
    n = int.from_bytes(h, "big")
    return 256 - n.bit_length()
nonce = next(n for n in range(1 << 30) if pow_bits(n, 12) >= 12)
hs = {
  "source": "computed with Python " + "cryptography (X25519, HKDF-SHA256) and hmac/hashlib, independently of the Java code; see docs/protocol.md 'Login'",
  "server_secret": server_lt.private_bytes_raw().hex(), "server_public": sk.hex(),
  "server_ephemeral_secret": server_eph.private_bytes_raw().hex(), "server_ephemeral_public": se.hex(),
  "client_ephemeral_secret": client_eph.private_bytes_raw().hex(), "client_ephemeral_public": ce.hex(),
  "identity_secret": identity.private_bytes_raw().hex(), "identity_public": ip.hex(),
  "identity_id": ident_id, "challenge": challenge.hex(),
  "server_proof": proof.hex(), "login_mac": login.hex(), "register_mac": register.hex(),
  "pow_bits": 12, "pow_nonce": nonce,
}
# run from this directory: python3 generate-signaling-vectors.py
json.dump(hs, open("signaling-handshake.json", "w"), indent=2); open("signaling-handshake.json","a").write("\n")

key = bytes.fromhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
cases = [
  ("email", "  Anna.Schmidt@Schule.Example  ", None, "anna.schmidt@schule.example"),
  ("email", "LEHRER@EXAMPLE.ORG", None, "lehrer@example.org"),
  ("email", "J\u00dcRGEN@b\u00e4ckerei.example", None, "j\u00fcrgen@b\u00e4ckerei.example"),
  ("email", "Ju\u0308rgen@example.de", None, "j\u00fcrgen@example.de"),
  ("email", "no-at-sign.example", None, None),
  ("email", "two@@example.org", None, None),
  ("email", "@example.org", None, None),
  ("phone", "+49 30 1234567", None, "+49301234567"),
  ("phone", "0049 (30) 123-4567", None, "+49301234567"),
  ("phone", "030 1234567", "49", "+49301234567"),
  ("phone", "030 1234567", None, None),
  ("phone", "+41.44.668.18.00", None, "+41446681800"),
  ("phone", "+1 (202) 555-0143", None, "+12025550143"),
  ("phone", "+49 30 1234 5678 9012 3", None, None),
  ("phone", "+49 30 12ab", None, None),
  ("phone", "+0 123 456 789", None, None),
]
out = {"source": "normalised by hand per docs/protocol.md 'Discovery'; hmac computed with Python hmac/hashlib",
       "key": key.hex(), "cases": []}
for kind, inp, cc, norm in cases:
    c = {"kind": kind, "input": inp, "countryCode": cc, "normalised": norm,
         "hash": mac(key, norm.encode()).hex() if norm else None}
    out["cases"].append(c)
json.dump(out, open("discovery.json", "w"), indent=2, ensure_ascii=False); open("discovery.json","a").write("\n")
