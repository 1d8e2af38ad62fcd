#!/usr/bin/env bash
# Development certificates for m2m listeners and peers (never for production; see certs/README.md).
#
#   bash certs/make-dev-certs.sh OUTDIR [NODE_ID ...]
#
# Writes into OUTDIR (created if missing; existing files are overwritten):
#   ca.crt, ca.key                 a dev certificate authority (ECDSA P-256, 825 days)
#   server.crt, server.key         server cert signed by the CA; SAN localhost, 127.0.0.1, ::1
#   client-<id>.crt, .key          one client cert per node id (CN=<id>, clientAuth), signed by the CA
#   wt.crt, wt.key, wt.sha256      self-signed ECDSA cert valid 13 days for WebTransport hash pinning
#                                  (the W3C rule allows at most 14); wt.sha256 = hex SHA-256 of its DER
# Node ids default to "m2m-dev". Requires openssl >= 1.1.1.
set -euo pipefail

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  [[ $# -lt 1 ]] && exit 2 || exit 0
fi

out="$1"; shift
ids=("$@")
[[ ${#ids[@]} -eq 0 ]] && ids=("m2m-dev")
for id in "${ids[@]}"; do
  if [[ ! "$id" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]]; then
    echo "make-dev-certs: invalid node id '$id' (letters, digits, . _ -; at most 64)" >&2
    exit 2
  fi
done

mkdir -p "$out"
umask 077
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# Dev CA
newkey "$out/ca.key"
openssl req -x509 -new -key "$out/ca.key" -sha256 -days 825 -subj "/CN=m2m dev CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$out/ca.crt" 2>/dev/null

# sign CSR_FILE CERT_OUT EXTFILE: issue a leaf cert from the dev CA
sign() {
  openssl x509 -req -in "$1" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial -CAserial "$tmp/ca.srl" \
    -sha256 -days 397 -extfile "$3" -out "$2" 2>/dev/null
}

# Server
newkey "$out/server.key"
openssl req -new -key "$out/server.key" -subj "/CN=localhost" -out "$tmp/server.csr" 2>/dev/null
cat > "$tmp/server.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
sign "$tmp/server.csr" "$out/server.crt" "$tmp/server.ext"

# One client cert per node id
for id in "${ids[@]}"; do
  newkey "$out/client-$id.key"
  openssl req -new -key "$out/client-$id.key" -subj "/CN=$id" -out "$tmp/client.csr" 2>/dev/null
  cat > "$tmp/client.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=DNS:$id
EXT
  sign "$tmp/client.csr" "$out/client-$id.crt" "$tmp/client.ext"
done

# Short-lived self-signed cert for WebTransport serverCertificateHashes pinning
newkey "$out/wt.key"
openssl req -x509 -new -key "$out/wt.key" -sha256 -days 13 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=serverAuth" \
  -out "$out/wt.crt" 2>/dev/null
openssl x509 -in "$out/wt.crt" -outform DER | openssl dgst -sha256 -r | cut -d' ' -f1 > "$out/wt.sha256"

chmod 644 "$out"/*.crt "$out/wt.sha256"
echo "make-dev-certs: wrote CA, server, ${#ids[@]} client cert(s) (${ids[*]}) and a 13-day WebTransport cert to $out"
