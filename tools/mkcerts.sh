#!/bin/sh
# Creates a local development CA, a server certificate for localhost/127.0.0.1, supplier
# client certificates and the Caren portal's client certificate, for the demo and the
# tests. Nothing here is secret or committed: everything is generated into the given
# directory (default build/pki).
set -eu
dir=${1:-build/pki}
mkdir -p "$dir"
cd "$dir"
umask 077

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# Client certificates, signed by the development CA: client FILE CN.
client() {
	key "$1.key"
	openssl req -new -key "$1.key" -subj "/O=$1/CN=$2" -out "$1.csr" 2>/dev/null
	printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n' > client.ext
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -sha256 \
		-extfile client.ext -out "$1.pem" 2>/dev/null
}

# The Caren portal's client certificate: CN = caren-{customer_code}-{identification}, so the
# connector is "caren" (admitted on the portal API only, never on the supplier API).
caren() {
	[ -f caren.pem ] && return 0
	client caren caren-delinde-0001
	rm -f caren.csr client.ext ca.srl
	chmod 600 caren.key
	chmod 644 caren.pem
}

# A directory made before the portal certificate existed gets just that one.
if [ -f .complete ]; then
	caren
	exit 0
fi

# Development CA (also signs the supplier certificates).
key ca.key
openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/O=zorgterm development/CN=zorgterm dev CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-out ca.pem 2>/dev/null

# Server certificate.
key server.key
openssl req -new -key server.key -subj "/O=zorgterm development/CN=localhost" -out server.csr 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -sha256 \
	-extfile server.ext -out server.pem 2>/dev/null

# Supplier client certificates: CN = {connector}-{customer_code}-{identification}.
client dosell dosell-delinde-0001
client nedap_luna nedap_luna-delinde-0001
# The Caren portal (see caren() above).
client caren caren-delinde-0001

# A client certificate from a CA zorgd does not trust, for negative tests.
key rogue-ca.key
openssl req -x509 -new -key rogue-ca.key -sha256 -days 3650 -subj "/CN=rogue CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" -out rogue-ca.pem 2>/dev/null
key rogue.key
openssl req -new -key rogue.key -subj "/CN=dosell-delinde-0001" -out rogue.csr 2>/dev/null
openssl x509 -req -in rogue.csr -CA rogue-ca.pem -CAkey rogue-ca.key -CAcreateserial -days 825 -sha256 \
	-extfile client.ext -out rogue.pem 2>/dev/null

rm -f ./*.csr ./*.ext ./*.srl
chmod 600 ./*.key
chmod 644 ./*.pem
touch .complete
