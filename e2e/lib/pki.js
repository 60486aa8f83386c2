// A throwaway PKI made with the openssl command (Debian's): a CA, a server certificate for
// localhost, and client certificates, plus an HTTPS server that requires a client certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function openssl(dir, ...args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Issues `name` (key + certificate) signed by the CA, with the given extensions. */
function issue(dir, name, subject, extensions) {
  writeFileSync(join(dir, `${name}.ext`), extensions.join('\n') + '\n');
  openssl(dir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`,
    '-out', `${name}.csr`, '-subj', subject);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
}

export function makePki() {
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-pki-'));
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key',
    '-out', 'ca.pem', '-subj', '/CN=E2E Test CA', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=keyCertSign');
  issue(dir, 'server', '/CN=localhost', ['subjectAltName=DNS:localhost', 'extendedKeyUsage=serverAuth']);
  issue(dir, 'client', '/CN=E2E Client', ['extendedKeyUsage=clientAuth']);
  const read = (f) => readFileSync(join(dir, f), 'utf8');
  // What a user uploads: the certificate followed by its key, in one .pem file.
  const clientUpload = join(dir, 'client-upload.pem');
  writeFileSync(clientUpload, read('client.pem') + read('client.key'));
  return { dir, caFile: join(dir, 'ca.pem'), clientUpload, clientCertOnly: join(dir, 'client.pem'), read };
}

/** HTTPS on loopback that only completes handshakes with a certificate from the CA; answers its CN. */
export function startMtlsServer(pki) {
  const seen = [];
  const server = createServer(
    { key: pki.read('server.key'), cert: pki.read('server.pem'), ca: [pki.read('ca.pem')], requestCert: true,
      rejectUnauthorized: true },
    (req, res) => {
      const cn = req.socket.getPeerCertificate().subject?.CN;
      seen.push(cn);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ client: cn }));
    },
  );
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, seen, close: () => server.close() }));
  });
}
