import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { componentLogger, createLogger, silentLogger, wantsPretty } from '../../daemon/log.js';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('log', () => {
  it('writes JSON lines with component and ids bound by child loggers', () => {
    const s = sink();
    const root = createLogger({ format: 'json', name: 'node-a', destination: s.stream });
    componentLogger(root, 'peer', { peer: 'b', session: 's1', agent: undefined }).info({ bytes: 3 }, 'linked');
    const line = JSON.parse(s.text().trim());
    expect(line).toMatchObject({ level: 'info', node: 'node-a', component: 'peer', peer: 'b', session: 's1', bytes: 3, msg: 'linked' });
    expect(line).not.toHaveProperty('agent');
  });

  it('respects the level and redacts psk fields', () => {
    const s = sink();
    const root = createLogger({ format: 'json', level: 'warn', destination: s.stream });
    root.info('hidden');
    root.warn({ auth: { psk: 'secret-secret-secret' } }, 'shown');
    expect(s.text()).not.toContain('hidden');
    expect(s.text()).not.toContain('secret-secret');
    expect(s.text()).toContain('<redacted>');
  });

  it('pretty output is not JSON', () => {
    const s = sink();
    createLogger({ format: 'pretty', destination: s.stream }).info('hello there');
    expect(s.text()).toContain('hello there');
    expect(() => JSON.parse(s.text().trim())).toThrow();
  });

  it('auto format follows the terminal', () => {
    expect(wantsPretty('auto', true)).toBe(true);
    expect(wantsPretty('auto', false)).toBe(false);
    expect(wantsPretty('json', true)).toBe(false);
    expect(silentLogger().isLevelEnabled('error')).toBe(false);
  });
});
