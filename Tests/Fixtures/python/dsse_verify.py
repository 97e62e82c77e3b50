import base64, hashlib, json, sys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
d = sys.argv[1]
pub = load_pem_public_key(open(d + "/issuer.pub", "rb").read())
assert isinstance(pub, Ed25519PublicKey), type(pub)
priv = load_pem_private_key(open(d + "/issuer.key", "rb").read(), password=None)
assert priv.public_key().public_bytes_raw() == pub.public_bytes_raw(), "key pair mismatch"
env = json.load(open(d + "/cert.dsse.json"))
def pae(t, b): return b"DSSEv1 %d %s %d %s" % (len(t), t, len(b), b)
assert pae(b"http://example.com/HelloWorld", b"hello world") == b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
body = base64.b64decode(env["payload"], validate=True)
ptype = env["payloadType"].encode()
assert ptype == b"application/vnd.in-toto+json", ptype
sig = base64.b64decode(env["signatures"][0]["sig"], validate=True)
pub.verify(sig, pae(ptype, body))
for i in range(len(body)):
    tampered = body[:i] + bytes([body[i] ^ 1]) + body[i + 1:]
    try:
        pub.verify(sig, pae(ptype, tampered))
        sys.exit("tampered payload at byte %d verified" % i)
    except InvalidSignature:
        pass
assert priv.sign(pae(ptype, body)) == sig, "python signature differs"
assert env["signatures"][0]["keyid"] == hashlib.sha256(pub.public_bytes_raw()).hexdigest()
stmt = json.loads(body)
assert stmt["_type"] == "https://in-toto.io/Statement/v1"
print("python-verified")
