"""Issue 24, identity pinning: claims relu f32 at its first start and nothing after a restart;
exits with status 7 on its first execute."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp

restarted = os.path.exists(os.environ["FIXTURE_MARKER"])


def hello(header, payload):
    return abp.hello(header, payload, capabilities={} if restarted else None)


def execute(header, payload):
    if abp.first_time():
        os._exit(7)
    return abp.relu(header, payload)


abp.serve(hello=hello, execute=execute)
