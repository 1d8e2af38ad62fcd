import { afterAll, describe, expect, it } from 'vitest';
import { createHash, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { certSha256, hashBytes, hostPort, identityFromDer, loadTlsFiles, pemList } from '../../transports/tls.js';
import { resolveOptions } from '../../transports/defaults.js';
import { makeCerts } from './helpers.js';

const certs = makeCerts(['node-a']);
afterAll(() => certs.cleanup());

describe('TLS helpers', () => {
  it('loads PEM files and reports unreadable ones as TLS_FAILED', () => {
    const t = loadTlsFiles({ ca: join(certs.dir, 'ca.crt'), cert: join(certs.dir, 'server.crt'), key: join(certs.dir, 'server.key') });
    expect(t.ca).toEqual([certs.ca]);
    expect(t.cert).toBe(certs.serverCert);
    expect(() => loadTlsFiles({ cert: join(certs.dir, 'missing.crt') })).toThrow(expect.objectContaining({ code: 'TLS_FAILED' }));
  });

  it('hashes the 13-day WebTransport cert like the script does', () => {
    expect(Buffer.from(certSha256(certs.wtCert)).toString('hex')).toBe(certs.wtHash);
    const c = new X509Certificate(certs.wtCert);
    const days = (Date.parse(c.validTo) - Date.parse(c.validFrom)) / 86_400_000;
    expect(days).toBeLessThanOrEqual(14);
  });

  it('parses hex hashes (with or without colons) and rejects others', () => {
    const h = createHash('sha256').update('x').digest('hex');
    expect(Buffer.from(hashBytes(h)).toString('hex')).toBe(h);
    expect(Buffer.from(hashBytes(h.match(/../g)!.join(':'))).toString('hex')).toBe(h);
    expect(() => hashBytes('abc')).toThrow(expect.objectContaining({ code: 'TLS_FAILED' }));
  });

  it('takes the node id from a verified certificate only', () => {
    const der = new X509Certificate(certs.client('node-a').cert).raw;
    expect(identityFromDer(der, '1.2.3.4:5', true)).toMatchObject({ authenticated: true, nodeId: 'node-a', certSubject: 'CN=node-a' });
    expect(identityFromDer(der, '1.2.3.4:5', false)).toEqual({ address: '1.2.3.4:5', authenticated: false });
  });

  it('formats addresses and PEM lists', () => {
    expect(hostPort('::1', 443)).toBe('[::1]:443');
    expect(hostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
    expect(pemList(new TextEncoder().encode('PEM'))).toEqual(['PEM']);
    expect(pemList(undefined)).toBeUndefined();
  });
});

describe('transport options', () => {
  it('fills defaults and refuses nonsense', () => {
    expect(resolveOptions()).toEqual({ maxMessageBytes: 16 * 1024 * 1024 + 65536, highWaterMark: 1024 * 1024, closeTimeoutMs: 5000, idleTimeoutMs: 15000, keepAliveMs: 5000 });
    expect(() => resolveOptions({ highWaterMark: 0 })).toThrow(RangeError);
    expect(() => resolveOptions({ keepAliveMs: 20_000 })).toThrow(/keepAliveMs/);
    expect(() => resolveOptions({ maxMessageBytes: 0xffff_ffff })).toThrow(/control frames/);
  });
});

describe('make-dev-certs.sh', () => {
  it('refuses bad node ids', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('bash', [join(import.meta.dirname, '../../certs/make-dev-certs.sh'), join(certs.dir, 'x'), 'bad id'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid node id/);
  });
});
