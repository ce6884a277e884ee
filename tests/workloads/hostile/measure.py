#!/usr/bin/python3
"""Runs a command and says what it cost: exit status, wall time and peak
resident memory (the kernel's ru_maxrss, which is VmHWM of the process).

usage: measure.py TIMEOUT OUT ERR CMD...
CMD's stdout goes to OUT, its stderr to ERR; it is killed (SIGKILL) after
TIMEOUT seconds. Prints 'RC WALL_S MAXRSS_KIB'; RC is 128+N after signal N.
"""
import os
import subprocess
import sys
import time

if len(sys.argv) < 5:
    sys.exit(__doc__)
timeout = float(sys.argv[1])
with open(sys.argv[2], "wb") as out, open(sys.argv[3], "wb") as err:
    t0 = time.monotonic()
    p = subprocess.Popen(sys.argv[4:], stdout=out, stderr=err)
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - t0 > timeout:
            p.kill()
        time.sleep(0.005)
    wall = time.monotonic() - t0
rc = os.waitstatus_to_exitcode(status)
print(f"{rc if rc >= 0 else 128 - rc} {wall:.2f} {ru.ru_maxrss}")
