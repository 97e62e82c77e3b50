"""Runs the command given as arguments and prints its exit status and the peak resident set
of it and its waited-for descendants, in kB (getrusage RUSAGE_CHILDREN ru_maxrss)."""
import resource, subprocess, sys

status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
