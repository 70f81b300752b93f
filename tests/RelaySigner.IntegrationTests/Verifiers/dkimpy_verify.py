#!/usr/bin/python3
"""Independent DKIM check with dkimpy (Debian's python3-dkim).

Reads one message on stdin and verifies every DKIM-Signature in it. Public keys come from the
<keys>/<domain>/<selector>.txt records given as the first argument, through dkimpy's dnsfunc hook,
so no DNS is needed. Prints one line per signature, "pass d=... s=..." or "fail d=... s=...",
and exits 0 only when there is at least one signature and all pass.
"""
import os
import re
import sys

import dkim

keys = sys.argv[1]


def dnsfunc(name, timeout=5):
    label = name.decode() if isinstance(name, bytes) else name
    selector, _, domain = label.rstrip(".").partition("._domainkey.")
    path = os.path.join(keys, domain.lower(), selector + ".txt")
    if not os.path.exists(path):
        return None
    with open(path) as record:
        return "".join(re.findall(r'"([^"]*)"', record.read())).encode()


message = sys.stdin.buffer.read()
checker = dkim.DKIM(message)
signatures = [value for name, value in checker.headers if name.lower() == b"dkim-signature"]
ok = bool(signatures)
for index in range(len(signatures)):
    passed = checker.verify(idx=index, dnsfunc=dnsfunc)
    tags = dict(t.strip().split("=", 1) for t in re.sub(rb"\s+", b"", signatures[index]).decode().split(";") if "=" in t)
    print(f"{'pass' if passed else 'fail'} d={tags.get('d')} s={tags.get('s')} a={tags.get('a')}")
    ok = ok and passed
sys.exit(0 if ok else 1)
