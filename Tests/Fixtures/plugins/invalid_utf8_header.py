"""Issue 13.9: a correct relu result whose header carries an overlong UTF-8 sequence
(C0 AF, a disguised '/') in an unknown string field."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp


def execute(header, payload):
    reply, result = abp.relu(header, payload)
    line = json.dumps(reply).encode()
    abp.out.write(line[:-1] + b', "note": "a\xc0\xafb"}\n' + result)
    abp.out.flush()


abp.serve(execute=execute)
