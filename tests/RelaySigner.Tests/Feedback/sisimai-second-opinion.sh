#!/bin/sh
# A second opinion on the corpus's manifests from Sisimai (Debian's libsisimai-perl: apt-get install libsisimai-perl),
# an independent bounce parser: how often it finds each expected recipient, and how often its suppress decision
# (a hard bounce by its softbounce flag, or an ARF complaint other than auth-failure; and again by its reason)
# agrees with the manifest.
# Not part of dotnet test: Sisimai is an optional package. Run from anywhere; prints the figures and each disagreement.
set -eu
corpus="$(cd "$(dirname "$0")" && pwd)/Corpus"
perl -MSisimai -e '
  for my $f (@ARGV) {
    my $found = Sisimai->make($f, delivered => 1) || [];
    for my $e (@$found) {
      my $suppress = ($e->reason eq "feedback" ? (($e->feedbacktype // "") ne "auth-failure") : $e->softbounce == 0) ? "true" : "false";
      print join("\t", $f =~ s{.*/}{}r, lc $e->recipient->address, $e->reason, $suppress), "\n";
    }
  }' "$corpus"/*.eml 2>/dev/null |
python3 -c '
import csv, glob, os, sys
got = {}
for line in sys.stdin:
    f, r, reason, s = line.rstrip("\n").split("\t")
    got.setdefault(f, []).append((r, reason, s))
rows = [row for m in sorted(glob.glob(os.path.join(sys.argv[1], "manifest*.csv"))) for row in csv.DictReader(open(m))]
# The same decision from its reason instead of its softbounce flag: Sisimai counts a disabled account (suspend) as soft.
HARD = {"userunknown", "hostunknown", "hasmoved", "notaccept", "suspend"}
with_rcpt = found = agreed = by_reason = 0
for e in rows:
    mine = got.get(e["file"], [])
    hit = [g for g in mine if g[0] == e["recipient"].lower()] if e["recipient"] else (mine if len(mine) == 1 else [])
    if e["recipient"]:
        with_rcpt += 1; found += bool(hit)
    s = hit[0][2] if hit else "false"
    agreed += s == e["suppress"]
    r = ("true" if hit[0][1] in HARD or (hit[0][1] == "feedback" and hit[0][2] == "true") else "false") if hit else "false"
    by_reason += r == e["suppress"]
    if (e["recipient"] and not hit) or s != e["suppress"]:
        print("  %s: manifest %s %s %s; sisimai %s" % (e["file"], e["recipient"], e["kind"], e["suppress"], mine))
print(f"sisimai: recipient found {found}/{with_rcpt} = {100*found/with_rcpt:.1f} %, suppress agrees {agreed}/{len(rows)} = {100*agreed/len(rows):.1f} % (softbounce flag), {by_reason}/{len(rows)} = {100*by_reason/len(rows):.1f} % (by reason)")
' "$corpus"
