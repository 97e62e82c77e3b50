"""Issue 24, header diagnostics: a hello whose header is valid JSON but has "protocol": 1.1
(argument "fraction") or an id of 1e999 (argument "huge", out of any number's range)."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp


def hello(header, payload):
    line = json.dumps(abp.hello(header, payload)).encode()
    if sys.argv[1] == "fraction":
        line = line.replace(b'"protocol": 1', b'"protocol": 1.1')
    else:
        line = line[:-1] + b', "id": 1e999}'
    abp.out.write(line + b"\n")
    abp.out.flush()


abp.serve(hello=hello)
