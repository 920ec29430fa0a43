#!/usr/bin/env bash
# Makes the DEMO certificates, keys and tokens that docker-compose.yml mounts as secrets: one CA, a
# certificate per service (server and client use), one per human or job caller, and bearer tokens
# with their SHA-256 hashes. Everything here is public (it is in the repository): it exists so that
# `docker compose up` runs with TLS, mTLS and authorization as production does. Never use these
# files anywhere else; see docs/security.md for real deployments (cert-manager, Secrets).
#
#   deploy/dev-tls/generate.sh     # rewrites every file of this folder except this script and README
set -euo pipefail
cd "$(dirname "$0")"
DAYS=3650
ec() { echo -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes; }

openssl req -x509 $(ec) -keyout ca.key -out ca.crt -subj '/CN=Tally demo CA (docker compose only)' \
  -days "$DAYS" -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null

issue() { # name, subjectAltName
  local name=$1 san=$2
  openssl req $(ec) -keyout "$name.key" -out "$name.csr" -subj "/CN=$name" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' "$san" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
    -days "$DAYS" -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
  chmod 644 "$name.key" # the services run as uid 1000 and read compose secrets as bind mounts
}
issue feature-service 'DNS:feature-service,DNS:localhost,IP:127.0.0.1'
issue model-server 'DNS:model-server,DNS:localhost,IP:127.0.0.1'
issue seed 'DNS:seed'
issue developer 'email:developer@tally.example'
rm -f ca.key # not needed again: the next run makes a new CA

: > tokens
for caller in checkout developer; do
  token=$(openssl rand -hex 32)
  printf '%s\n' "$token" > "$caller.token"
  printf '%s sha256:%s\n' "$caller" "$(printf '%s' "$token" | openssl dgst -sha256 -r | cut -d' ' -f1)" >> tokens
done
echo "wrote $(ls | grep -v -e generate.sh -e README.md | tr '\n' ' ')"
