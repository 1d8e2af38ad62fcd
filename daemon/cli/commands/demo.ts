/** `m2m demo`: two daemons linked over QUIC and over WebSocket, two agents, a scripted exchange. */
import { randomBytes } from 'node:crypto';
import { startDaemon, type Daemon } from '../../daemon.js';
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../log.js';
import { connectAgent, type AgentClient } from '../../client/connect-agent.js';
import type { IncomingMsg, VerdictSummary } from '../../agent-api/messages.js';
import { compressAuto } from '../../../protocol/codec-engine.js';
import { getTokenizer } from '../../../protocol/tokenizers.js';
import { isM2MError } from '../../../protocol/errors.js';
import { EXIT_BAD_INPUT, EXIT_OK, err, out, parseCommandArgs } from '../command.js';
import { makeCerts, tempDir } from './bench-e2e-run.js';
import { DEMO_STEPS } from './demo-script.js';

export const help = `Usage: m2m demo [--transport quic|ws|both]

Starts two daemons in this process ("alpha" and "beta"), links them over QUIC
and then over WebSocket, connects agent "planner" to alpha and "researcher" to
beta, and plays a short scripted exchange that includes one prompt-injection
attempt (blocking mode is on, so it is refused with the verdict).
For every message it prints the scan verdict, the send → arrival latency, the
bytes on the link (session-context Brotli) and the bytes and cl100k tokens of
the M2M wire format (compressAuto) against the JSON.
Needs openssl for the QUIC certificates (falls back to WebSocket only).`;

const fmtVerdict = (v: VerdictSummary | null | undefined): string =>
  !v ? 'not scanned' : v.blocked ? `BLOCKED ${v.threat} score ${v.score} [${v.threats.join(', ')}]` : v.safe ? `safe (score ${v.score})` : `unsafe ${v.threat} score ${v.score} (not blocking)`;

// quiche checks the server name as a DNS name, so dialling 127.0.0.1 names the certificate's "localhost".
async function node(id: string, dir: string, flags: Record<string, unknown>, peers: Array<{ id: string; url: string }> = []): Promise<Daemon> {
  const config = loadConfig({
    env: {},
    searchPaths: [],
    flags: { 'node.id': id, 'agent.socket_path': `${dir}/${id}.sock`, 'http.enabled': 'false', 'listen.ws': '', 'security.blocking': 'true', 'log.level': 'silent', ...flags },
  });
  return startDaemon({ ...config, peers: peers.map((p) => ({ ...p, psk: '', tls_ca: '', server_name: 'localhost', cert_sha256: '' })) }, { logger: createLogger({ level: 'silent' }) });
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { transport: { type: 'string' } });
  const which = (values.transport as string | undefined) ?? 'both';
  const tmp = tempDir();
  const psk = randomBytes(24).toString('hex');
  let certs: ReturnType<typeof makeCerts> | undefined;
  try {
    certs = makeCerts(tmp.dir, ['alpha', 'beta']);
  } catch {
    err('demo: could not make certificates (openssl?); QUIC is skipped');
  }
  const transports = (which === 'both' ? ['quic', 'ws'] : [which]).filter((t) => t !== 'quic' || certs);
  const cl100k = getTokenizer('cl100k');
  let totals = { json: 0, link: 0, m2mBytes: 0, jsonTokens: 0, m2mTokens: 0 };
  try {
    for (const t of transports) {
      const listen = t === 'quic'
        ? { 'listen.quic': 'quic://127.0.0.1:0', 'listen.tls_cert': certs!.cert, 'listen.tls_key': certs!.key, 'listen.tls_ca': certs!.ca }
        : { 'listen.ws': 'ws://127.0.0.1:0/m2m' };
      const alpha = await node('alpha', tmp.dir, { ...listen, 'auth.psk': psk });
      const beta = await node('beta', tmp.dir, { 'auth.psk': psk, ...(certs ? { 'listen.tls_ca': certs.ca } : {}) }, [{ id: 'alpha', url: alpha.listening[0] }]);
      const agents: Record<string, AgentClient> = {};
      try {
        out(`\n== alpha ⇄ beta over ${t === 'quic' ? 'QUIC' : 'WebSocket'} (${alpha.listening[0]}), PSK-authenticated, blocking mode ==`);
        const t0 = Date.now();
        while (alpha.peers.connectedCount === 0 || beta.peers.connectedCount === 0) {
          if (Date.now() - t0 > 15_000) throw new Error(`the daemons did not link over ${t}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        agents.planner = await connectAgent({ agent: 'planner', path: alpha.agentSocket });
        agents.researcher = await connectAgent({ agent: 'researcher', path: beta.agentSocket });
        const daemonOf = { planner: alpha, researcher: beta };
        const nodeOf = { planner: 'alpha', researcher: 'beta' };
        for (const step of DEMO_STEPS) {
          const json = JSON.stringify(step.body);
          const sender = daemonOf[step.from];
          const link = sender.peers.all()[0];
          const before = link.stats.bytesOut;
          const arrived = new Promise<IncomingMsg>((resolve) => agents[step.to].once('message', resolve));
          const start = performance.now();
          const label = `${step.from}@${nodeOf[step.from]} → ${step.to}@${nodeOf[step.to]}  ${step.what}`;
          try {
            await agents[step.from].send(`${step.to}@${nodeOf[step.to]}`, step.body);
          } catch (e) {
            if (!isM2MError(e)) throw e;
            out(`  ${label}\n      REFUSED ${e.code}: ${fmtVerdict(e.details?.verdict as VerdictSummary)} — never left ${nodeOf[step.from]}`);
            continue;
          }
          const m = await Promise.race([arrived, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
          const ms = performance.now() - start;
          await new Promise((r) => setTimeout(r, 5));
          const linkBytes = link.stats.bytesOut - before;
          const m2m = compressAuto(json);
          const jsonTokens = cl100k.count(json);
          const m2mTokens = cl100k.count(m2m.data);
          totals = { json: totals.json + json.length, link: totals.link + linkBytes, m2mBytes: totals.m2mBytes + m2m.compressedBytes, jsonTokens: totals.jsonTokens + jsonTokens, m2mTokens: totals.m2mTokens + m2mTokens };
          out(`  ${label}`);
          out(`      ${m ? `arrived in ${ms.toFixed(2)} ms` : 'did not arrive'}; scan on arrival: ${fmtVerdict(m?.verdict)}`);
          out(`      JSON ${json.length} B / ${jsonTokens} tok; link ${linkBytes} B (incl. framing); M2M ${m2m.algorithm} ${m2m.compressedBytes} B / ${m2mTokens} tok`);
        }
      } finally {
        await Promise.all(Object.values(agents).map((a) => a.close()));
        await beta.stop(2000);
        await alpha.stop(2000);
      }
    }
    const pct = (a: number, b: number) => `${Math.round((1 - a / b) * 100)}%`;
    out('\n== totals over the delivered messages ==');
    out(`  JSON ${totals.json} B; on the link ${totals.link} B (saved ${pct(totals.link, totals.json)}, first messages also pay the context warm-up)`);
    out(`  M2M wire format ${totals.m2mBytes} B (saved ${pct(totals.m2mBytes, totals.json)})`);
    out(`  cl100k tokens: JSON ${totals.jsonTokens}, M2M wire ${totals.m2mTokens} (saved ${totals.jsonTokens - totals.m2mTokens}; byte codecs are for the wire, not for a model to read)`);
    return EXIT_OK;
  } catch (e) {
    err(`demo: ${(e as Error).message}`);
    return EXIT_BAD_INPUT;
  } finally {
    tmp.remove();
  }
}
