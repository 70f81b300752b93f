#!/usr/bin/env bash
# RelaySigner beside Postfix + OpenDKIM, in one session on one machine, through the peers' own driver
# (a peer benchmark kit: smtp-source in, smtp-sink out, CPU attributed per process, disturbed runs set aside).
# Prints both result tables and the ratio of the median end-to-end rates per mode. As root; ~15 min.
#
# PEERS_DIR (required) is the kit's folder: install.sh (Postfix, OpenDKIM), run.sh (measures them, writes
# runs-*.jsonl under STATE) and lib/measure.py (the load driver, used here for RelaySigner too).
# Knobs (environment): N [3000] RUNS [3] WARMUP [300] MODES [conn,reuse]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
N="${N:-3000}" RUNS="${RUNS:-3}" WARMUP="${WARMUP:-300}" MODES="${MODES:-conn,reuse}"
RELAY_PORT=2525 SINK_PORT=2625
STATE="${STATE:-/var/lib/relaysigner-peer-bench}"
out="$(mktemp -d /tmp/relaysigner-side-by-side-XXXXXX)"

die() { echo "side-by-side: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (Postfix and OpenDKIM need it)"
[ -n "${PEERS_DIR:-}" ] && [ -x "$PEERS_DIR/install.sh" ] && [ -f "$PEERS_DIR/lib/measure.py" ] ||
  die "set PEERS_DIR to the peer benchmark kit (install.sh, run.sh, lib/measure.py)"
PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"
port_busy() { ss -Hltn "sport = :$1" | grep -q .; }
wait_port() { local i; for ((i = 0; i < $2 * 10; i++)); do port_busy "$1" && return 0; sleep 0.1; done; return 1; }

echo "== Postfix + OpenDKIM (N=$N RUNS=$RUNS WARMUP=$WARMUP MODES=$MODES)"
"$PEERS_DIR/install.sh" >"$out/install.log" 2>&1 || die "peer install failed: see $out/install.log"
(cd "$PEERS_DIR" && N="$N" RUNS="$RUNS" WARMUP="$WARMUP" MODES="$MODES" LIMITS=0 STATE="$STATE" ./run.sh) | tee "$out/postfix.txt"
cp "$(ls -t "$STATE"/runs-*.jsonl | head -1)" "$out/postfix.jsonl"

echo "== RelaySigner"
dotnet build -c Release "$repo/src/RelaySigner" -v q -nologo >"$out/build.log" || die "build failed: see $out/build.log"
cleanup() {
  [ -f "$out/relay.pid" ] && kill "$(cat "$out/relay.pid")" 2>/dev/null || true
  [ -f "$out/sink.pid" ] && kill "$(cat "$out/sink.pid")" 2>/dev/null || true
}
trap cleanup EXIT
for p in "$RELAY_PORT" "$SINK_PORT"; do port_busy "$p" && die "127.0.0.1:$p is in use"; done
smtp-sink -c -u nobody "127.0.0.1:$SINK_PORT" 1024 >"$out/sink.counter" 2>"$out/sink.err" </dev/null &
echo $! >"$out/sink.pid"
wait_port "$SINK_PORT" 10 || die "smtp-sink did not start"
(cd "$repo" && exec dotnet src/RelaySigner/bin/Release/net10.0/relaysigner.dll run \
  --Relay:Smtp:Address=127.0.0.1 --Relay:Smtp:Port=$RELAY_PORT --Relay:Queue:Path="$out/queue" \
  --Relay:Delivery:Smarthost=127.0.0.1:$SINK_PORT --Relay:Smtp:MaxConnectionsPerClient=1000 \
  --Relay:Admin:Urls= --Logging:LogLevel:Default=Warning) >"$out/relay.log" 2>&1 &
echo $! >"$out/relay.pid"
wait_port "$RELAY_PORT" 60 || die "the relay did not start: see $out/relay.log"
python3 "$PEERS_DIR/lib/measure.py" --peer relaysigner --relay "127.0.0.1:$RELAY_PORT" \
  --sink-counter "$out/sink.counter" --pidfile relaysigner "$out/relay.pid" --pidfile smtp-sink "$out/sink.pid" \
  --n "$N" --warmup "$WARMUP" --runs "$RUNS" --modes "$MODES" --json-out "$out/relaysigner.jsonl" | tee "$out/relaysigner.txt"

echo
echo "== Ratio of median end-to-end rates (records in $out)"
python3 - "$out/postfix.jsonl" "$out/relaysigner.jsonl" <<'PY'
import json, statistics, sys
def medians(path, peer):
    rates = {}
    for line in open(path):
        r = json.loads(line)
        if r["peer"] == peer and r["label"] == "measured" and r["ok"] and r.get("e2e_rate"):
            rates.setdefault(r["mode"], []).append(r["e2e_rate"])
    return {m: statistics.median(v) for m, v in rates.items()}
postfix, relay = medians(sys.argv[1], "postfix"), medians(sys.argv[2], "relaysigner")
print("| mode | Postfix + OpenDKIM msg/s | RelaySigner msg/s | ratio |")
print("|---|---|---|---|")
for mode in relay:
    if mode in postfix:
        print(f"| {mode} | {postfix[mode]:.0f} | {relay[mode]:.0f} | {relay[mode] / postfix[mode]:.2f}x |")
PY
