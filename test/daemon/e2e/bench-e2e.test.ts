import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../daemon/cli/main.js';
import { HAVE_BUILD } from './child.js';

async function bench(args: string[]): Promise<{ code: number; result: any }> {
  const outs: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    outs.push(String(s));
    return true;
  });
  try {
    const code = await main(['bench', 'e2e', '--json', '--settle-ms', '200', ...args]);
    return { code, result: JSON.parse(outs.join('').trim()) };
  } finally {
    spy.mockRestore();
  }
}

describe.skipIf(!HAVE_BUILD)('m2m bench e2e (child-process daemons, needs npm run build)', () => {
  it('prints exactly the issue JSON shape with nothing lost or duplicated', async () => {
    // The latency warm-up's messages arrive too, but are neither counted nor in wire/JSON.
    const { code, result } = await bench(['--messages', '300', '--latency-messages', '50', '--rate', '500', '--latency-warmup', '400']);
    expect(Object.keys(result)).toEqual(['transport', 'messages', 'intact', 'lost', 'duplicated', 'msgsPerSec', 'latencyP50Ms', 'latencyP99Ms', 'wireBytesPerJsonByte', 'rssMb']);
    expect(result).toMatchObject({ transport: 'ws', messages: 350, intact: 350, lost: 0, duplicated: 0 });
    expect(result.wireBytesPerJsonByte).toBeLessThan(1);
    expect(code).toBe(0);
  });

  it('with --baseline, also measures the pipeline with scanning and compression off and adds it', async () => {
    const { code, result } = await bench(['--baseline', '--messages', '200', '--latency-messages', '20', '--rate', '500', '--warmup', '20', '--latency-warmup', '50']);
    expect(result).toMatchObject({ messages: 220, intact: 220, lost: 0, duplicated: 0 });
    expect(Object.keys(result.baseline)).toEqual(['msgsPerSec', 'latencyP50Ms', 'latencyP99Ms']);
    expect(result.baseline.msgsPerSec).toBeGreaterThan(0);
    expect(code).toBe(0);
  });

  it('runs agent → daemon → daemon → agent over WebTransport (HTTP/2)', async () => {
    const { code, result } = await bench(['--transport', 'webtransport', '--messages', '100', '--latency-messages', '20', '--rate', '200']);
    expect(result).toMatchObject({ transport: 'webtransport', messages: 120, intact: 120, lost: 0, duplicated: 0 });
    expect(code).toBe(0);
  });

  it('refuses a negative --latency-warmup as a usage error (exit 2) before starting anything', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['bench', 'e2e', '--latency-warmup=-1'])).toBe(2);
      expect(spy.mock.calls.map((c) => String(c[0])).join('')).toContain('--latency-warmup');
    } finally {
      spy.mockRestore();
    }
  });
});
