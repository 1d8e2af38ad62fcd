/** Fakes for the HTTP API's injected dependencies. */
import type { Classifier, Verdict } from '../../../inference/types.js';
import { loadConfig } from '../../../daemon/config/load.js';
import type { DaemonConfig } from '../../../daemon/config/schema.js';
import type { HttpCodecs, HttpRouter } from '../../../daemon/http/types.js';
import { M2MError } from '../../../protocol/errors.js';

export function testConfig(flags: Record<string, unknown> = {}): DaemonConfig {
  return loadConfig({ searchPaths: [], env: {}, flags: { 'http.port': 0, 'node.id': 'node-a', ...flags } });
}

/** Scores 0.95 (injection) when the text contains "ignore previous", else 0.05. */
export function fakeClassifier(): Classifier & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async classify(text: string): Promise<Verdict> {
      calls.push(text);
      const bad = /ignore previous/i.test(text);
      return {
        safe: !bad,
        threat: bad ? 'injection' : null,
        score: bad ? 0.95 : 0.05,
        confidence: bad ? 0.95 : 0.95,
        blocked: false,
        reasons: bad ? [{ kind: 'rule', id: 'injection.ignore-previous', category: 'injection', severity: 0.95, detail: 'asks to ignore earlier instructions' }] : [],
        latencyMs: 0.1,
      };
    },
    async close() {},
  };
}

/** `#FAKE|<algo>|<hex>` wire strings; decompress rejects other `#FAKE` forms. */
export function fakeCodecs(): HttpCodecs {
  const enc = (content: string, algorithm: string, count?: boolean) => ({
    data: algorithm === 'none' ? content : `#FAKE|${algorithm}|${Buffer.from(content).toString('hex')}`,
    algorithm,
    ...(count ? { originalTokens: 10, compressedTokens: 4 } : {}),
  });
  return {
    compress: (content, algorithm, opts) => enc(content, algorithm, opts?.countTokens),
    compressAuto: (content, opts) => enc(content, content.length > 20 ? 'brotli' : 'none', opts?.countTokens),
    decompress(data) {
      if (!data.startsWith('#FAKE|')) return data;
      const m = /^#FAKE\|(\w+)\|([0-9a-f]*)$/.exec(data);
      if (!m) throw new M2MError('CORRUPT_PAYLOAD', 'bad fake payload');
      return Buffer.from(m[2], 'hex').toString();
    },
    analyze: (content) => ({ length: content.length, is_json: content.startsWith('{'), recommended: 'tokennative' }),
  };
}

export interface Delivered {
  from: string;
  to: string;
  body: unknown;
  id?: string;
}

export function fakeRouter(): HttpRouter & { delivered: Delivered[] } {
  const delivered: Delivered[] = [];
  return {
    delivered,
    async deliver(msg) {
      if (!/^[\w.-]+@[\w.-]+$/.test(msg.to)) throw new M2MError('BAD_ADDRESS', `bad address ${msg.to}`);
      if (msg.to.endsWith('@nowhere')) throw new M2MError('UNKNOWN_PEER', 'no peer nowhere');
      if (JSON.stringify(msg.body).includes('ignore previous')) throw new M2MError('BLOCKED', 'message refused by the security scan', { verdict: { safe: false, blocked: true } });
      delivered.push(msg);
      return { status: 'delivered', msgId: `m${delivered.length}` };
    },
  };
}
