import { afterEach, describe, expect, it, vi } from 'vitest';

// Feed fd 0 (stdin) from a variable instead of the real terminal/pipe.
let stdin: Buffer = Buffer.alloc(0);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) =>
    path === 0 ? stdin : (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest)) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

const { main } = await import('../../../daemon/cli/main.js');

afterEach(() => vi.restoreAllMocks());

async function cli(input: string | Buffer, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  stdin = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    stdout += String(c);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    stderr += String(c);
    return true;
  });
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('codec commands read stdin for -', () => {
  it('compresses and decompresses through stdin', async () => {
    expect(await cli('Hello, world!', 'compress', '-a', 'tn', '-')).toEqual({ code: 0, stdout: '#TK|C|sk0L/Q4A\n', stderr: '' });
    expect((await cli('#TK|C|sk0L/Q4A\n', 'decompress', '-')).stdout).toBe('Hello, world!\n');
    expect((await cli('Hello, world!', 'tokens', '-e', 'cl100k', '--ids', '-')).stdout).toBe('9906 11 1917 0\n');
  });

  it('refuses stdin that is not UTF-8 with exit 1', async () => {
    const r = await cli(Buffer.from([0xff, 0xfe, 0x41]), 'compress', '-');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('INVALID_UTF8');
  });
});
