"""Issue 24, stray bytes: answers its first execute twice, in one write (the second copy is
unrequested); a restarted plugin behaves."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp


def execute(header, payload):
    header_out, result = abp.relu(header, payload)
    if abp.first_time():
        once = json.dumps(header_out).encode() + b"\n" + result
        abp.out.write(once + once)
        abp.out.flush()
        return None
    return header_out, result


abp.serve(execute=execute)
