/**
 * The CLI's command table: name → lazy module loader, so `m2m --help` stays fast
 * and each command's dependencies load only when it runs. Two-word names
 * (`bench codecs`) are matched before one-word names.
 */
import type { CommandModule } from './command.js';

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  daemon: { summary: 'run the session daemon in the foreground (agent socket, HTTP API, peers)', load: () => import('./commands/daemon.js') },
  send: { summary: 'send one JSON message to agent@node through the local daemon', load: () => import('./commands/send.js') },
  listen: { summary: 'register an agent name and print the messages it receives', load: () => import('./commands/listen.js') },
  demo: { summary: 'two daemons over QUIC and WebSocket, two agents, a scripted exchange with one injection attempt', load: () => import('./commands/demo.js') },
  'bench e2e': { summary: 'agent → daemon → daemon → agent throughput, latency, wire bytes and daemon RSS', load: () => import('./commands/bench-e2e.js') },
  compress: { summary: 'compress text/JSON into an M2M wire string (auto, token-native, t1, brotli, m2m, none)', load: () => import('./commands/compress.js') },
  decompress: { summary: 'decode an M2M wire string by its prefix (unknown prefixes pass through)', load: () => import('./commands/decompress.js') },
  analyze: { summary: 'content analysis and wire size per algorithm', load: () => import('./commands/analyze.js') },
  tokens: { summary: 'token counts per encoding (cl100k, o200k, llama3)', load: () => import('./commands/tokens.js') },
  'bench codecs': { summary: 'wire size, speed and round trips of every codec over a JSONL corpus', load: () => import('./commands/bench-codecs.js') },
  'bench transports': { summary: 'per transport 1 KB RTT, 1 KB msg/s and 64 KB MB/s through our Connection vs the bare library', load: () => import('./commands/bench-transports.js') },
  'config check': { summary: 'validate a config file (or the effective configuration): every problem, with key and file', load: () => import('./commands/config-check.js') },
  'config print': { summary: 'print the effective configuration (defaults < files < M2M_* env < flags) as TOML', load: () => import('./commands/config-print.js') },
  'service install': { summary: 'install the systemd units (m2md.service, m2md.socket), the m2m user and an example config', load: () => import('./commands/service-install.js') },
  scan: { summary: 'security verdict for a text or JSON message (injection, jailbreak, exfiltration, malformed)', load: () => import('./commands/scan.js') },
  'bench scan': { summary: 'per-scan µs (p50/p99) and scans/s of the security classifier on 1 KB bodies (and a corpus), fused vs rules only; classifier load RSS', load: () => import('./commands/bench-scan.js') },
  'eval security': { summary: 'detection quality, obfuscation robustness, latency and pool throughput of the classifier on a JSONL corpus', load: () => import('./commands/eval-security.js') },
  'bench session': { summary: 'session bytes per codec vs Brotli-with-context, DATA frames/s and memory per session', load: () => import('./commands/bench-session.js') },
  compile: { summary: 'compile prose into a WSP 99 M2M envelope (deterministic)', load: () => import('./commands/compile.js') },
  decompile: { summary: 'turn an M2M envelope (YAML, JSON or K:V) back into prose', load: () => import('./commands/decompile.js') },
  'eval compile': { summary: 'token reduction and round-trip fidelity of m2m compile over a JSONL corpus', load: () => import('./commands/eval-compile.js') },
  'bench toon': { summary: 'bytes and o200k tokens saved per TOON level vs compact JSON and @toon-format/toon', load: () => import('./commands/bench-toon.js') },
};
