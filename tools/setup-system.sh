#!/usr/bin/env bash
# System packages the tests need, from Debian's apt (no browser or toolchain is ever downloaded by npm).
#   bash tools/setup-system.sh           install what is missing (needs root)
#   bash tools/setup-system.sh --check   only report; exit 1 if something is missing
# strongSwan 5.9.8 (charon + swanctl + kernel-libipsec), tshark, iproute2 and ping are for the interop
# tests against a real peer (test/support/strongswan-peer.ts, test/support/netns.ts).
set -euo pipefail

# package:command-or-file that proves it is installed
REQUIRED=(
  "chromium:/usr/bin/chromium"
  "bsdutils:script"          # script(1): a pseudo-terminal for the interactive console test
  "iproute2:ip"              # ip netns / veth pairs for the network tests
  "iputils-ping:ping"        # ping(8) through the tunnels (Debian 12: /usr/bin/ping)
  "strongswan-charon:/usr/lib/ipsec/charon"     # the IKE daemon, started directly (no starter/systemd)
  "strongswan-swanctl:swanctl"                  # vici client: load, initiate, list-sas
  "libcharon-extra-plugins:/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"  # userspace ESP (TUN)
  "libstrongswan-standard-plugins:/usr/lib/ipsec/plugins/libstrongswan-openssl.so"  # openssl, gcm (a recommends)
  "libstrongswan-extra-plugins:/usr/lib/ipsec/plugins/libstrongswan-curve25519.so"  # x25519, ctr, ccm, chapoly
  "strongswan-pki:pki"       # test certificates
  "tshark:tshark"            # decrypt captures (IKE + ESP) with the keys charon logs
)
# extra entries (same form, space-separated) — used by the tests of this script
read -r -a EXTRA <<< "${WEBSWAN_SETUP_REQUIRE:-}"
REQUIRED+=("${EXTRA[@]}")

missing=()
for entry in "${REQUIRED[@]}"; do
  pkg=${entry%%:*}; probe=${entry#*:}
  if [[ $probe == /* ]]; then [[ -e $probe ]] || missing+=("$pkg"); else command -v "$probe" >/dev/null || missing+=("$pkg"); fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-system: all system packages present (${REQUIRED[*]%%:*})"
  exit 0
fi
if [[ ${1:-} == --check ]]; then
  echo "setup-system: missing Debian packages: ${missing[*]}" >&2
  exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "setup-system: the tests need these Debian packages: ${missing[*]}" >&2
  echo "setup-system: install them as root:  apt-get install -y ${missing[*]}   (or run npm test as root)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "setup-system: apt-get not found; install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
echo "setup-system: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
# tshark pulls in wireshark-common, which asks whether non-root users may capture: no, and no prompt
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-system: installed ${missing[*]}"
