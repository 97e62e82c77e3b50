"""Issue 13.2: on execute, forks a helper that keeps stdout open, then dies of SIGSEGV."""
import os, signal, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp


def execute(header, payload):
    if os.fork() == 0:
        time.sleep(60)  # holds the inherited stdout open
        os._exit(0)
    os.kill(os.getpid(), signal.SIGSEGV)


abp.serve(execute=execute)
