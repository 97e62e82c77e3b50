"""Issue 13.8: at every hello, double-forks a daemon that calls setsid (leaving the plugin's
process group and session) and sleeps; its pid is appended to $FIXTURE_PID_FILE. Exits with
status 5 on execute, so the harness restarts it."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp


def daemons():
    try:
        with open(os.environ["FIXTURE_PID_FILE"]) as f:
            return len(f.read().split())
    except OSError:
        return 0


def hello(header, payload):
    before = daemons()
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            with open(os.environ["FIXTURE_PID_FILE"], "a") as f:
                f.write("%d\n" % os.getpid())
            for fd in (0, 1, 2):
                os.close(fd)
            time.sleep(3600)
        os._exit(0)
    os.wait()
    while daemons() == before:
        time.sleep(0.01)
    return abp.hello(header, payload)


def execute(header, payload):
    os._exit(5)


abp.serve(hello=hello, execute=execute)
