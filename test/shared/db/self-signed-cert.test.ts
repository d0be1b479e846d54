import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../harness/self-signed-cert.ts';

// The RDS-Proxy-like gate presents this certificate, and one OpenSSL refuses breaks every
// connection through the gate, so the random serials that used to fail are tried on purpose.
describe('the test-time TLS certificate', () => {
  it.each([
    ['a leading zero byte', [0x00, 0x05]],
    ['a leading 0x80 (negative as DER)', [0x80, 0x00]],
    ['all zeros', [0x00, 0x00]],
    ['all ones', [0xff, 0xff]],
  ])('is accepted by OpenSSL whatever the random serial: %s', (_name, [first, rest]) => {
    const random = Buffer.concat([Buffer.from([first!]), Buffer.alloc(7, rest)]);
    const { cert, key } = selfSignedCertificate('localhost', random);
    expect(() => createSecureContext({ cert, key })).not.toThrow();
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe('CN=localhost');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(BigInt(`0x${x509.serialNumber}`)).toBeGreaterThan(0n);
  });
});
