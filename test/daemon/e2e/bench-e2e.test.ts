import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../daemon/cli/main.js';
import { HAVE_BUILD } from './child.js';

describe.skipIf(!HAVE_BUILD)('m2m bench e2e (child-process daemons, needs npm run build)', () => {
  it('prints exactly the issue JSON shape with nothing lost or duplicated', async () => {
    const outs: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      outs.push(String(s));
      return true;
    });
    let code: number;
    try {
      code = await main(['bench', 'e2e', '--json', '--messages', '300', '--latency-messages', '50', '--rate', '500']);
    } finally {
      spy.mockRestore();
    }
    const result = JSON.parse(outs.join('').trim());
    expect(Object.keys(result)).toEqual(['transport', 'messages', 'intact', 'lost', 'duplicated', 'msgsPerSec', 'latencyP50Ms', 'latencyP99Ms', 'wireBytesPerJsonByte', 'rssMb']);
    expect(result).toMatchObject({ transport: 'ws', messages: 350, intact: 350, lost: 0, duplicated: 0 });
    expect(result.wireBytesPerJsonByte).toBeLessThan(1);
    expect(code).toBe(0);
  });
});
