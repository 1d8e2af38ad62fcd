/**
 * TLS helpers shared by the transports: loading PEM files, normalising PEM inputs and
 * turning a verified peer certificate into a {@link RemoteIdentity}.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate, createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Pem, RemoteIdentity, TlsOptions } from './transport.js';
import { TransportError } from './errors.js';

/** Paths of PEM files, as a config file names them. */
export interface TlsFiles {
  ca?: string | string[];
  cert?: string;
  key?: string;
}

/**
 * Read PEM files into {@link TlsOptions}.
 * @throws TransportError `TLS_FAILED` when a file cannot be read
 */
export function loadTlsFiles(files: TlsFiles): TlsOptions {
  const read = (p: string): string => {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      throw new TransportError('TLS_FAILED', `cannot read TLS file ${p}: ${(e as Error).message}`, { cause: e });
    }
  };
  const out: TlsOptions = {};
  if (files.ca !== undefined) out.ca = (Array.isArray(files.ca) ? files.ca : [files.ca]).map(read);
  if (files.cert !== undefined) out.cert = read(files.cert);
  if (files.key !== undefined) out.key = read(files.key);
  return out;
}

/** PEM input as a string (Node TLS and quiche both accept strings). */
export function pemString(p: Pem): string {
  return typeof p === 'string' ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString('utf8');
}

/** CA option as a list of PEM strings, or undefined. */
export function pemList(ca: Pem | Pem[] | undefined): string[] | undefined {
  if (ca === undefined) return undefined;
  return (Array.isArray(ca) ? ca : [ca]).map(pemString);
}

/** `host:port` with IPv6 hosts bracketed. */
export function hostPort(host: string | undefined, port: number | undefined): string {
  const h = host ?? '?';
  return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port ?? 0}`;
}

function cnOf(subject: string): string | undefined {
  for (const line of subject.split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return undefined;
}

/** Identity from a DER certificate that TLS has verified (QUIC gives DER chains). */
export function identityFromDer(der: Uint8Array | undefined, address: string, verified: boolean): RemoteIdentity {
  if (!der || !verified) return { address, authenticated: false };
  const subject = new X509Certificate(der).subject;
  return { address, certSubject: subject.replace(/\n/g, ', '), nodeId: cnOf(subject), authenticated: true };
}

/** Identity of the peer of a Node TLS socket; only a verified (`authorized`) certificate counts. */
export function identityFromTlsSocket(socket: TLSSocket, address: string): RemoteIdentity {
  if (!socket.authorized) return { address, authenticated: false };
  const cert = socket.getPeerX509Certificate();
  if (!cert) return { address, authenticated: false };
  return { address, certSubject: cert.subject.replace(/\n/g, ', '), nodeId: cnOf(cert.subject), authenticated: true };
}

/** SHA-256 of a PEM certificate's DER, as bytes (for WebTransport `serverCertificateHashes`). */
export function certSha256(pem: Pem): Uint8Array {
  return createHash('sha256').update(new X509Certificate(pemString(pem)).raw).digest();
}

/** Hex or bytes → bytes (hex may contain `:` separators). @throws TransportError `TLS_FAILED` */
export function hashBytes(h: string | Uint8Array): Uint8Array {
  if (typeof h !== 'string') return h;
  const hex = h.replace(/:/g, '').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new TransportError('TLS_FAILED', 'certificate hash must be 64 hex digits (SHA-256)');
  return Buffer.from(hex, 'hex');
}
