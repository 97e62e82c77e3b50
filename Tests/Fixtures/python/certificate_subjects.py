import base64, hashlib, json, sys
d = sys.argv[1]
stmt = json.loads(base64.b64decode(json.load(open(d + "/cert.dsse.json"))["payload"]))
assert stmt["predicateType"] == "https://assay.dev/attestations/adaptation-certificate/v1", stmt["predicateType"]
subjects = {s["name"]: s["digest"]["sha256"] for s in stmt["subject"]}
assert subjects["run.json"] == hashlib.sha256(open(d + "/run.json", "rb").read()).hexdigest(), "run.json digest"
attestation = hashlib.sha256(open(d + "/run.dsse.json", "rb").read()).hexdigest()
assert subjects["run.dsse.json"] == attestation == stmt["predicate"]["runAttestation"]["sha256"], "run attestation digest"
print("subjects-verified", stmt["predicate"]["result"], stmt["predicate"]["level"])
