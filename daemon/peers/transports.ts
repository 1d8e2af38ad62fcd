/**
 * dial/listen by URL scheme over the built-in transports (transports/registry:
 * ws, wss, ws+unix, quic, https = WebTransport, memory), loaded lazily.
 */
import { dial, listen } from '../../transports/registry.js';
import type { TransportApi } from './manager.js';

/** The built-in transports behind one dial/listen pair. */
export const builtinTransports: TransportApi = { dial, listen };
