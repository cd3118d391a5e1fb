#!/bin/sh
# Regenerate the PKI test vectors with strongSwan's `pki` tool (5.9.8, Debian package strongswan-pki) and
# OpenSSL (only to re-wrap the PKCS#1 private keys `pki --gen` writes as PKCS#8, which the trustpoint takes).
# TEST-ONLY KEYS: every private key in this directory is public and must never protect anything.
# Usage: sh test/vectors/pki/make.sh   (run from anywhere; rewrites the files next to this script)
set -eu
cd "$(dirname "$0")"
P() { pki "$@" 2>/dev/null; }   # hide the harmless TPM plugin noise
key() { P --gen --type rsa --size "$2" --outform pem > "$1.pkcs1.key"
        openssl pkcs8 -topk8 -nocrypt -in "$1.pkcs1.key" -out "$1.key"; rm "$1.pkcs1.key"; }
pub() { P --pub --in "$1.key" --type priv; }

# Root CA: RSA 3072, self-signed with SHA-384 (the recipe of strongswan-peer.md §3, digest made explicit).
key ca 3072
P --self --ca --lifetime 3650 --in ca.key --type priv --digest sha384 \
  --dn "C=XX, O=lab, CN=lab Test CA" --outform pem > ca.crt

# Leaves as strongSwan's recipe makes them: SAN FQDN, serverAuth + ikeIntermediate EKU.
key routerA 2048
pub routerA | P --issue --lifetime 3650 --cacert ca.crt --cakey ca.key --digest sha256 \
  --dn "C=XX, O=lab, CN=routerA.example.com" --san routerA.example.com \
  --flag serverAuth --flag ikeIntermediate --outform pem > routerA.crt
key routerB 3072
pub routerB | P --issue --lifetime 3650 --cacert ca.crt --cakey ca.key --digest sha384 \
  --dn "C=XX, O=lab, CN=routerB.example.com" --san routerB.example.com \
  --flag serverAuth --flag ikeIntermediate --outform pem > routerB.crt
# RSA-PSS signature (SHA-256), and IPv4 + e-mail SANs next to the FQDN.
key routerC 2048
pub routerC | P --issue --lifetime 3650 --cacert ca.crt --cakey ca.key --digest sha256 --rsa-padding pss \
  --dn "C=XX, O=lab, CN=routerC.example.com" --san routerC.example.com --san 10.77.0.3 --san admin@example.com \
  --flag serverAuth --flag ikeIntermediate --outform pem > routerC.crt

# Expired (2020–2021) and not yet valid (2040–2041).
key expired 2048
pub expired | P --issue --cacert ca.crt --cakey ca.key --digest sha256 \
  --not-before "01.01.20 00:00:00" --not-after "01.01.21 00:00:00" \
  --dn "C=XX, O=lab, CN=expired.example.com" --san expired.example.com --flag serverAuth --outform pem > expired.crt
pub expired | P --issue --cacert ca.crt --cakey ca.key --digest sha256 \
  --not-before "01.01.40 00:00:00" --not-after "01.01.41 00:00:00" \
  --dn "C=XX, O=lab, CN=future.example.com" --san future.example.com --flag serverAuth --outform pem > future.crt

# Another CA with its own leaf (wrong CA).
key other-ca 3072
P --self --ca --lifetime 3650 --in other-ca.key --type priv --digest sha384 \
  --dn "C=XX, O=other, CN=Other Test CA" --outform pem > other-ca.crt
key routerX 2048
pub routerX | P --issue --lifetime 3650 --cacert other-ca.crt --cakey other-ca.key --digest sha256 \
  --dn "C=XX, O=other, CN=routerX.example.com" --san routerX.example.com \
  --flag serverAuth --flag ikeIntermediate --outform pem > routerX.crt

# Chains: ca → sub-ca (pathlen 0) → routerS (valid); sub-ca → subsub-ca → routerT (path length exceeded);
# routerA (no CA flag) → notca-leaf (issuer is not a CA).
key sub-ca 3072
pub sub-ca | P --issue --ca --pathlen 0 --lifetime 3650 --cacert ca.crt --cakey ca.key --digest sha384 \
  --dn "C=XX, O=lab, CN=lab Sub CA" --outform pem > sub-ca.crt
key routerS 2048
pub routerS | P --issue --lifetime 3650 --cacert sub-ca.crt --cakey sub-ca.key --digest sha256 \
  --dn "C=XX, O=lab, CN=routerS.example.com" --san routerS.example.com --flag serverAuth --outform pem > routerS.crt
key subsub-ca 2048
pub subsub-ca | P --issue --ca --lifetime 3650 --cacert sub-ca.crt --cakey sub-ca.key --digest sha256 \
  --dn "C=XX, O=lab, CN=lab Sub-Sub CA" --outform pem > subsub-ca.crt
pub routerS | P --issue --lifetime 3650 --cacert subsub-ca.crt --cakey subsub-ca.key --digest sha256 \
  --dn "C=XX, O=lab, CN=routerT.example.com" --san routerT.example.com --flag serverAuth --outform pem > routerT.crt
# pki refuses to issue with a non-CA certificate ("CA certificate misses CA basicConstraint"), so this
# one is made by OpenSSL: routerA (a leaf, no basicConstraints) signs routerN.
openssl req -new -key routerS.key -subj "/C=XX/O=lab/CN=notca.example.com" -out notca.csr
printf 'subjectAltName=DNS:notca.example.com\n' > notca.ext
openssl x509 -req -in notca.csr -CA routerA.crt -CAkey routerA.key -set_serial 0x4e -days 3650 -sha256 \
  -extfile notca.ext -out notca.crt 2>/dev/null
rm -f notca.csr notca.ext


# What the tests compare against, computed by OpenSSL (independent of @peculiar/x509).
for f in *.crt; do
  printf '%s %s\n' "$f" "$(openssl x509 -in "$f" -noout -fingerprint -sha256 | cut -d= -f2)"
done > fingerprints.txt
