#!/usr/bin/env bash
# Makes a self-signed development certificate for the live server's HTTPS endpoint.
#
#   certs/make-dev-cert.sh [extra-SAN ...]
#
# Writes certs/dev.pfx (PKCS#12: ECDSA P-256 key + certificate, what Http:CertificatePath loads) and certs/dev.crt
# (the certificate alone, PEM: import it where a browser or client must trust the server). Subject alternative names:
# localhost, 127.0.0.1 and ::1, plus every argument (an IP address becomes IP:…, anything else DNS:…), e.g.
#
#   certs/make-dev-cert.sh 192.168.1.20 devbox.lan
#
# Environment:
#   RH_CERT_PASSWORD  password of dev.pfx (default: "realtimehead-dev"; the server reads the same value from
#                     RealtimeHead__Http__CertificatePassword)
#   RH_CERT_DIR       output directory (default: this script's directory)
#   RH_CERT_DAYS      validity in days (default 365; browsers reject leaf certificates valid longer than 398 days)
#
# Never commit the output: certs/.gitignore keeps *.pfx, *.key, *.crt and *.pem out of git. Production mounts its own
# certificate (see certs/README.md).
set -euo pipefail

DIR=${RH_CERT_DIR:-$(cd "$(dirname "$0")" && pwd)}
PASSWORD=${RH_CERT_PASSWORD:-realtimehead-dev}
DAYS=${RH_CERT_DAYS:-365}

die() { printf 'make-dev-cert: error: %s\n' "$*" >&2; exit 1; }

command -v openssl >/dev/null 2>&1 || die "openssl is not installed (apt-get install -y openssl)"
[[ "$DAYS" =~ ^[0-9]+$ && "$DAYS" -ge 1 && "$DAYS" -le 398 ]] || die "RH_CERT_DAYS is '$DAYS'; use 1-398"
[[ -n "$PASSWORD" ]] || die "RH_CERT_PASSWORD is empty; a PFX holding a private key needs a password"

sans="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in "$@"; do
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then
    sans+=",IP:$name"
  elif [[ "$name" =~ ^[A-Za-z0-9*]([A-Za-z0-9.*-]*[A-Za-z0-9])?$ ]]; then
    sans+=",DNS:$name"
  else
    die "'$name' is neither an IP address nor a host name"
  fi
done

mkdir -p "$DIR"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077

# ECDSA P-256: what Chromium and every current TLS stack accept, and the cheapest handshake.
openssl ecparam -name prime256v1 -genkey -noout -out "$work/key.pem" 2>/dev/null
# serverAuth + a SAN list: browsers ignore the CN and reject certificates without SANs (RFC 6125 §6.4.4).
openssl req -x509 -new -key "$work/key.pem" -sha256 -days "$DAYS" \
  -subj "/CN=RealtimeHead development" \
  -addext "subjectAltName=$sans" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" \
  -out "$work/cert.pem" 2>/dev/null || die "openssl req failed (OpenSSL 1.1.1 or newer is needed for -addext)"
# AES-256 + PBKDF2 (OpenSSL 3's default): .NET's X509CertificateLoader reads it.
PASSWORD_FOR_OPENSSL=$PASSWORD openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -name "RealtimeHead development" \
  -passout env:PASSWORD_FOR_OPENSSL -out "$work/dev.pfx" 2>/dev/null || die "openssl pkcs12 failed"

install -m 600 "$work/dev.pfx" "$DIR/dev.pfx"
install -m 644 "$work/cert.pem" "$DIR/dev.crt"

echo "wrote $DIR/dev.pfx and $DIR/dev.crt (SANs: $sans; valid $DAYS days)"
echo "serve HTTPS with:"
echo "  RealtimeHead__Http__Urls__0=https://0.0.0.0:8443 \\"
echo "  RealtimeHead__Http__CertificatePath=$DIR/dev.pfx \\"
echo "  RealtimeHead__Http__CertificatePassword=<RH_CERT_PASSWORD> ./setup.sh serve"
