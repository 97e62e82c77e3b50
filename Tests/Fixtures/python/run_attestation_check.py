import base64, hashlib, json, sys
from cryptography.hazmat.primitives.serialization import load_pem_public_key
d = sys.argv[1]
pub = load_pem_public_key(open(d + "/station.pub", "rb").read())
env = json.load(open(d + "/run.dsse.json"))
body = base64.b64decode(env["payload"], validate=True)
ptype = env["payloadType"].encode()
pub.verify(base64.b64decode(env["signatures"][0]["sig"], validate=True),
           b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(body), body))
stmt = json.loads(body)
assert stmt["predicateType"] == "https://assay.dev/attestations/run/v1", stmt["predicateType"]
subjects = {s["name"]: s["digest"]["sha256"] for s in stmt["subject"]}
for name in ["run.json", "journal.jsonl"]:
    assert subjects[name] == hashlib.sha256(open(d + "/" + name, "rb").read()).hexdigest(), name
run = json.load(open(d + "/run.json"))
prev = hashlib.sha256(("assay-journal/v1:" + run["runID"]).encode()).hexdigest()
lines = open(d + "/journal.jsonl", "rb").read().split(b"\n")[:-1]
for line in lines:
    assert json.loads(line)["chain"]["prev"] == prev, "chain"
    prev = hashlib.sha256(line).hexdigest()
assert stmt["predicate"]["journal"] == {"lines": len(lines), "head": prev}
print("run-attestation-verified", stmt["predicate"]["station"]["keyID"], sum(stmt["predicate"]["counts"].values()))
