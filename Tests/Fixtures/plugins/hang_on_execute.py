"""Issue 13.7: writes its pid to $FIXTURE_PID_FILE on execute and hangs. With argument
"stubborn" it ignores SIGTERM, SIGINT and stdin EOF, so only SIGKILL ends it."""
import os, signal, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp

stubborn = sys.argv[1:] == ["stubborn"]
if stubborn:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def execute(header, payload):
    with open(os.environ["FIXTURE_PID_FILE"] + ".tmp", "w") as f:
        f.write(str(os.getpid()))
    os.rename(os.environ["FIXTURE_PID_FILE"] + ".tmp", os.environ["FIXTURE_PID_FILE"])
    while True:
        time.sleep(3600)


abp.serve(execute=execute)
