/**
 * The daemon's configuration: its shape ({@link DaemonConfig}), every key's type,
 * bounds and default, and the environment variable that sets it.
 *
 * Keys keep their TOML spelling (snake_case) in TypeScript too, so a key in
 * `config.toml`, in `m2m config print` and in code is the same word:
 * `[security] block_threshold` is `config.security.block_threshold`.
 */

/** Payload codec names as the reference's JSON API spells them, plus `auto`. */
export type AlgorithmName = 'auto' | 'm2m' | 'tokennative' | 'brotli' | 't1' | 'none';
/** Tokenizer for TokenNative (`#TK|C|`, `#TK|O|`, `#TK|L|`). */
export type EncodingName = 'cl100k' | 'o200k' | 'llama3';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
/** `auto` = pretty when stdout is a terminal, JSON otherwise. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** One static peer from `[[peers]]`. */
export interface PeerConfig {
  /** The peer's node id (the `node` in `agent@node`). Required. */
  readonly id: string;
  /** Where to dial it: `ws://`, `wss://`, `quic://` or `https://` (WebTransport). Required. */
  readonly url: string;
  /** Pre-shared key for this peer only; empty = use `[auth] psk`. @default "" */
  readonly psk: string;
  /** PEM file of the CA that signs this peer's certificate; empty = `[listen] tls_ca`. @default "" */
  readonly tls_ca: string;
  /** TLS server name to verify; empty = the URL's host. @default "" */
  readonly server_name: string;
  /**
   * WebTransport peers: comma-separated hex SHA-256 hashes of acceptable server certificates (DER),
   * pinned instead of a CA (the certificate must be valid for at most 14 days). @default ""
   */
  readonly cert_sha256: string;
}

export interface DaemonConfig {
  readonly node: {
    /** This daemon's node id (`agent@<id>`): 1–64 of `A-Z a-z 0-9 . _ -`, starting with a letter or digit. @default the host name */
    readonly id: string;
  };
  readonly agent: {
    /** Unix socket for local agents. @default `$RUNTIME_DIRECTORY/agent.sock` (systemd), else `$XDG_RUNTIME_DIR/m2m/agent.sock`, else `/run/m2m/agent.sock` for root, else `<tmpdir>/m2m-<uid>/agent.sock` */
    readonly socket_path: string;
    /** File mode of the socket. @default 0o660 */
    readonly socket_mode: number;
    /** Longest NDJSON line an agent may send, in bytes. @default 1 MiB */
    readonly max_line_bytes: number;
  };
  readonly http: {
    /** Serve the HTTP API at all. @default true */
    readonly enabled: boolean;
    /** @default "127.0.0.1" */
    readonly host: string;
    /** 0 = any free port. @default 3000 */
    readonly port: number;
    /** Largest request body in bytes. @default 10 MiB */
    readonly body_limit: number;
    /** Bearer token every route but `GET /health` requires (≥ 16 characters); empty = none, allowed only on loopback. @default "" */
    readonly token: string;
    /** File whose first line is the token; exclusive with `token`. @default "" */
    readonly token_file: string;
  };
  readonly listen: {
    /** WebSocket listener URL (`ws://` or `wss://`); empty = off. @default "ws://127.0.0.1:7400" */
    readonly ws: string;
    /** QUIC listener URL (`quic://host:port`); empty = off; needs TLS files. @default "" */
    readonly quic: string;
    /** WebTransport listener URL (`https://host:port/path`); empty = off; needs TLS files. @default "" */
    readonly webtransport: string;
    /** PEM certificate chain for TLS listeners. @default "" */
    readonly tls_cert: string;
    /** PEM private key for TLS listeners. @default "" */
    readonly tls_key: string;
    /** PEM CA bundle trusted when dialling peers (and for client certificates). @default "" */
    readonly tls_ca: string;
    /**
     * Mutual TLS on the wss:// and quic:// listeners: dialling peers must present a certificate
     * signed by `tls_ca` (its CN is then the peer's node id). WebTransport peers authenticate in HELLO.
     * @default false
     */
    readonly require_client_cert: boolean;
  };
  readonly peers: readonly PeerConfig[];
  readonly auth: {
    /** Pre-shared key peers prove knowledge of (≥ 16 characters); empty = no PSK. @default "" */
    readonly psk: string;
    /** File holding the PSK (first line); exclusive with `psk`. @default "" */
    readonly psk_file: string;
    /** PEM certificate presented when dialling TLS peers (mutual TLS; its CN is this node's id). @default "" */
    readonly client_cert: string;
    /** PEM private key of `client_cert`. @default "" */
    readonly client_key: string;
  };
  readonly queue: {
    /** Messages waiting for one unreachable peer before sends fail with QUEUE_FULL. @default 10000 */
    readonly max_per_peer: number;
    /** Bytes waiting for one peer before sends fail with QUEUE_FULL. @default 64 MiB */
    readonly max_bytes_per_peer: number;
  };
  readonly session: {
    /** @default 30000 */
    readonly hello_timeout_ms: number;
    /** @default 60000 */
    readonly ping_interval_ms: number;
    /** @default 10000 */
    readonly pong_timeout_ms: number;
    /** @default 3 */
    readonly max_missed_pongs: number;
    /** @default 5000 */
    readonly closing_timeout_ms: number;
    /** Idle time after which a session is closed (0 = never). @default 300000 */
    readonly idle_timeout_ms: number;
    /** First redial delay; doubles with jitter up to `reconnect_max_ms`. @default 250 */
    readonly reconnect_initial_ms: number;
    /** @default 30000 */
    readonly reconnect_max_ms: number;
  };
  readonly shutdown: {
    /** Time SIGTERM allows to close sessions and flush queues before exit 1. @default 10000 */
    readonly grace_ms: number;
  };
  readonly compression: {
    /** @default true */
    readonly enabled: boolean;
    /** Codec when a request names none (aliases m, tn, token-native, br, token, n accepted). @default "tokennative" */
    readonly default_algorithm: AlgorithmName;
    /** `auto` goes straight to Brotli above this many bytes (0 = always compare every codec). @default 1024 */
    readonly brotli_threshold: number;
    /** TokenNative tokenizer. @default "cl100k" */
    readonly encoding: EncodingName;
    /**
     * Share of one CPU core a peer link's best compressor (`m2m-lz-1`) may use; above it the link sends
     * frames through whichever of it and session Brotli (`brotli+ctx`) recently cost less CPU per byte, as also while the daemon's event loop is saturated (≥ 85% busy over 100 ms). 1 = never switch. @default 0.05
     */
    readonly link_cpu_budget: number;
  };
  readonly security: {
    /** Scan every message. @default true */
    readonly enabled: boolean;
    /** Score at or above which a text is unsafe. @default the shipped classifier's calibrated `FUSED_THRESHOLD` (see docs/SECURITY.md; the reference used 0.8 for its regex scores) */
    readonly block_threshold: number;
    /** Refuse unsafe messages (otherwise the verdict only rides along). @default false */
    readonly blocking: boolean;
    /** Classifier model file; empty = the shipped model (heuristic rules if it cannot load). @default "" */
    readonly model_path: string;
    /** Worker threads that run whole scans off the event loop; 0 = scan on the event loop. @default 0 */
    readonly pool_threads: number;
  };
  readonly log: {
    /** @default "info" */
    readonly level: LogLevel;
    /** @default "auto" */
    readonly format: LogFormat;
  };
  readonly toon: {
    /** Offer TOON content negotiation on the HTTP API. @default true */
    readonly enabled: boolean;
    /** TOON compression level: none, minimal, standard, aggressive. @default "standard" */
    readonly level: 'none' | 'minimal' | 'standard' | 'aggressive';
    /** The aggressive level gzips encodings larger than this. @default 1024 */
    readonly gzip_threshold: number;
    /** Extra long key → short code pairs (codes of 1–3 characters, unique, not starting with `~`). @default {} */
    readonly custom_key_mappings: Readonly<Record<string, string>>;
    /** Extra value → short code pairs. @default {} */
    readonly custom_value_abbreviations: Readonly<Record<string, string>>;
  };
}

/** How one scalar key is checked and coerced. */
export type FieldSpec =
  | { type: 'bool' }
  | { type: 'int'; min: number; max: number }
  | { type: 'number'; min: number; max: number }
  | { type: 'size'; min: number; max: number }
  | { type: 'mode' }
  | { type: 'string'; pattern?: RegExp; patternText?: string; maxLength?: number }
  | { type: 'enum'; values: readonly string[]; aliases?: Readonly<Record<string, string>> }
  | { type: 'url'; schemes: readonly string[] }
  | { type: 'path' };

const MAX_MS = 24 * 3600 * 1000;
const ms = (min = 1): FieldSpec => ({ type: 'int', min, max: MAX_MS });
const GiB = 1024 ** 3;

/** Node ids and agent names: what `agent@node` addresses accept. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const nodeId: FieldSpec = { type: 'string', pattern: NODE_ID_PATTERN, patternText: '1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit' };

/** Every scalar section key. `peers` and the `toon` tables ({@link TOON_TABLES}) are checked separately. */

export const SCHEMA: Readonly<Record<string, Readonly<Record<string, FieldSpec>>>> = {
  node: { id: nodeId },
  agent: {
    socket_path: { type: 'path' },
    socket_mode: { type: 'mode' },
    max_line_bytes: { type: 'size', min: 1024, max: GiB },
  },
  http: {
    enabled: { type: 'bool' },
    host: { type: 'string', maxLength: 255 },
    port: { type: 'int', min: 0, max: 65535 },
    body_limit: { type: 'size', min: 1024, max: GiB },
    token: { type: 'string', maxLength: 4096 },
    token_file: { type: 'path' },
  },
  listen: {
    ws: { type: 'url', schemes: ['ws:', 'wss:'] },
    quic: { type: 'url', schemes: ['quic:'] },
    webtransport: { type: 'url', schemes: ['https:'] },
    tls_cert: { type: 'path' },
    tls_key: { type: 'path' },
    tls_ca: { type: 'path' },
    require_client_cert: { type: 'bool' },
  },
  auth: { psk: { type: 'string', maxLength: 4096 }, psk_file: { type: 'path' }, client_cert: { type: 'path' }, client_key: { type: 'path' } },
  queue: {
    max_per_peer: { type: 'int', min: 1, max: 10_000_000 },
    max_bytes_per_peer: { type: 'size', min: 1024, max: 16 * GiB },
  },
  session: {
    hello_timeout_ms: ms(),
    ping_interval_ms: ms(),
    pong_timeout_ms: ms(),
    max_missed_pongs: { type: 'int', min: 1, max: 1000 },
    closing_timeout_ms: ms(),
    idle_timeout_ms: ms(0),
    reconnect_initial_ms: ms(),
    reconnect_max_ms: ms(),
  },
  shutdown: { grace_ms: ms(0) },
  compression: {
    enabled: { type: 'bool' },
    default_algorithm: {
      type: 'enum',
      values: ['auto', 'm2m', 'tokennative', 'brotli', 't1', 'none'],
      aliases: { m: 'm2m', tn: 'tokennative', 'token-native': 'tokennative', token_native: 'tokennative', br: 'brotli', token: 't1', n: 'none' },
    },
    brotli_threshold: { type: 'size', min: 0, max: GiB },
    encoding: { type: 'enum', values: ['cl100k', 'o200k', 'llama3'], aliases: { cl100k_base: 'cl100k', o200k_base: 'o200k', llama: 'llama3' } },
    link_cpu_budget: { type: 'number', min: 0, max: 1 },
  },
  security: {
    enabled: { type: 'bool' },
    block_threshold: { type: 'number', min: 0, max: 1 },
    blocking: { type: 'bool' },
    model_path: { type: 'path' },
    pool_threads: { type: 'int', min: 0, max: 64 },
  },
  log: {
    level: { type: 'enum', values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] },
    format: { type: 'enum', values: ['auto', 'json', 'pretty'] },
  },
  toon: {
    enabled: { type: 'bool' },
    level: { type: 'enum', values: ['none', 'minimal', 'standard', 'aggressive'] },
    gzip_threshold: { type: 'size', min: 0, max: GiB },
  },
};

/** Keys of one `[[peers]]` entry. */
export const PEER_SCHEMA: Readonly<Record<string, FieldSpec>> = {
  id: nodeId,
  url: { type: 'url', schemes: ['ws:', 'wss:', 'quic:', 'https:'] },
  psk: { type: 'string', maxLength: 4096 },
  tls_ca: { type: 'path' },
  server_name: { type: 'string', maxLength: 255 },
  cert_sha256: { type: 'string', maxLength: 4096 },
};

export const PEER_REQUIRED = ['id', 'url'] as const;
/** Most `[[peers]]` entries accepted. */
export const MAX_PEERS = 1024;
/** Table-valued keys of `[toon]`. */
export const TOON_TABLES = ['custom_key_mappings', 'custom_value_abbreviations'] as const;
export type ToonTable = (typeof TOON_TABLES)[number];
/** Most entries accepted in one `[toon.custom_*]` table. */
export const MAX_TOON_MAPPINGS = 4096;

/** Environment names that set a key without following `M2M_<SECTION>_<KEY>` (seed and reference spellings). */
export const ENV_ALIASES: Readonly<Record<string, string>> = {
  M2M_SERVER_PORT: 'http.port',
  M2M_SERVER_HOST: 'http.host',
  M2M_BLOCK_THRESHOLD: 'security.block_threshold',
};

/** Environment variable naming the config file (same as `--config`). */
export const CONFIG_FILE_ENV = 'M2M_CONFIG';
