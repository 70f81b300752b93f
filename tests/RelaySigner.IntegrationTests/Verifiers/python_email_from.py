#!/usr/bin/python3
"""How Python's email package reads the From of a message (a second opinion beside MimeKit's).

Reads one message on stdin and prints two lines: "default <domains>" from the modern parser
(email.policy.default, the header registry) and "compat32 <domains>" from email.utils.getaddresses
over the raw field, the older API many tools still use. <domains> is a comma-separated list of the
domain of every address found, lower case; a parse that raises prints "error".
"""
import email
import email.policy
import email.utils
import sys

data = sys.stdin.buffer.read()

try:
    message = email.message_from_bytes(data, policy=email.policy.default)
    addresses = message["From"].addresses
    print("default " + ",".join(a.domain.lower() for a in addresses))
except Exception:
    print("default error")

legacy = email.message_from_bytes(data)
pairs = email.utils.getaddresses([str(value) for value in legacy.get_all("From", [])])
print("compat32 " + ",".join(address.rpartition("@")[2].lower() for _, address in pairs))
