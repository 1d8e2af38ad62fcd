/**
 * Pick a transport by URL scheme: `dial(url, { signal })` and `listen(url, opts)` are what the daemon
 * calls. Implementations load lazily, so a daemon that only speaks ws never loads QUIC's native code.
 */
import type { Connection, DialOptions, Listener, ListenOptions, Transport } from './transport.js';
import { TransportError } from './errors.js';
import { memoryTransport } from './memory.js';

type Loader = () => Promise<Transport>;

const memory = memoryTransport();
const loaders = new Map<string, Loader>([
  ['ws', async () => (await import('./ws.js')).wsTransport],
  ['wss', async () => (await import('./ws.js')).wsTransport],
  ['ws+unix', async () => (await import('./ws.js')).wsTransport],
  ['quic', async () => (await import('./quic.js')).quicTransport],
  ['https', async () => (await import('./webtransport.js')).webTransport],
  ['memory', async () => memory],
]);

function schemeOf(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TransportError('INVALID_ADDRESS', `not a URL: ${String(url)}`);
  }
  return u.protocol.slice(0, -1);
}

/** URL schemes with a registered transport. */
export function supportedSchemes(): string[] {
  return [...loaders.keys()];
}

/** Add or replace the transport for its schemes (e.g. a test double). */
export function registerTransport(t: Transport): void {
  for (const s of t.schemes) loaders.set(s, async () => t);
}

/**
 * The transport serving `url`'s scheme.
 * @throws TransportError `INVALID_ADDRESS`, `UNSUPPORTED_SCHEME`
 */
export async function transportFor(url: string | URL): Promise<Transport> {
  const scheme = schemeOf(url);
  const load = loaders.get(scheme);
  if (!load) throw new TransportError('UNSUPPORTED_SCHEME', `no transport for ${scheme}:// (supported: ${supportedSchemes().join(', ')})`);
  return load();
}

/** Listen on `url` with the transport its scheme names. See {@link Transport.listen}. */
export async function listen(url: string | URL, opts?: ListenOptions): Promise<Listener> {
  return (await transportFor(url)).listen(url, opts);
}

/** Dial `url` with the transport its scheme names. See {@link Transport.dial}. */
export async function dial(url: string | URL, opts: DialOptions): Promise<Connection> {
  return (await transportFor(url)).dial(url, opts);
}
