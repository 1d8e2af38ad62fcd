/**
 * dial/listen by URL scheme over the built-in transports. ws is loaded
 * eagerly; QUIC and WebTransport load on first use so a daemon that does not
 * use them never loads their native parts.
 */
import type { Connection, DialOptions, Listener, ListenOptions, Transport } from '../../transports/transport.js';
import { wsTransport } from '../../transports/ws.js';
import { memoryTransport } from '../../transports/memory.js';
import { M2MError } from '../../protocol/errors.js';
import type { TransportApi } from './manager.js';

const lazy: Record<string, { file: string; name: string } | undefined> = {
  quic: { file: 'quic.js', name: 'quicTransport' },
  https: { file: 'webtransport.js', name: 'webTransport' },
};

const cache = new Map<string, Transport>();
let memory: Transport | undefined;

async function forScheme(scheme: string): Promise<Transport> {
  if (scheme === 'ws' || scheme === 'wss' || scheme === 'ws+unix') return wsTransport;
  if (scheme === 'memory') return (memory ??= memoryTransport());
  const hit = cache.get(scheme);
  if (hit) return hit;
  const l = lazy[scheme];
  if (!l) throw new M2MError('BAD_INPUT', `no transport for "${scheme}://" (use ws, wss, ws+unix, quic or https)`);
  // A computed path keeps the type checker and bundlers from requiring the optional module.
  const mod = (await import(['..', '..', 'transports', l.file].join('/'))) as Record<string, Transport>;
  const t = mod[l.name] ?? Object.values(mod).find((v) => typeof v === 'object' && v !== null && 'schemes' in v && (v as Transport).schemes.includes(scheme));
  if (!t) throw new M2MError('BAD_INPUT', `transport module ${l.file} has no ${scheme} transport`);
  cache.set(scheme, t);
  return t;
}

const schemeOf = (url: string): string => url.slice(0, Math.max(0, url.indexOf(':')));

/** The built-in transports behind one dial/listen pair. */
export const builtinTransports: TransportApi = {
  async dial(url: string, opts: DialOptions): Promise<Connection> {
    return (await forScheme(schemeOf(url))).dial(url, opts);
  },
  async listen(url: string, opts?: ListenOptions): Promise<Listener> {
    return (await forScheme(schemeOf(url))).listen(url, opts);
  },
};
