import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readResponseHeader, readRoutingHeader, writeResponseHeader, writeRoutingHeader } from '../../protocol/m2m-frame-bytes.js';
import { REQUEST_FLAGS, RESPONSE_FLAGS, type Role } from '../../protocol/m2m-frame-header.js';
import { codeOf } from './error-code.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('M2M variable headers', () => {
  it('packs roles two bits each, low bits first', () => {
    const roles: Role[] = ['system', 'user', 'assistant', 'user', 'tool'];
    const b = writeRoutingHeader({ model: '', msgCount: 5, roles, contentHint: 0 }, 0);
    // 00 | 05 | (0 | 1<<2 | 2<<4 | 1<<6 = 0x64) (3) | 00
    expect(hex(b)).toBe('00056403' + '00');
    expect(readRoutingHeader(b, 0).roles).toEqual(roles);
  });

  it('round-trips routing and response headers', () => {
    const role = fc.constantFrom<Role>('system', 'user', 'assistant', 'tool');
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(role, { maxLength: 20 }), fc.nat(), fc.option(fc.nat(), { nil: undefined }), (model, roles, hint, max) => {
        const flags = max === undefined ? 0 : REQUEST_FLAGS.HAS_MAX_TOKENS;
        const h = { model, msgCount: roles.length, roles, contentHint: hint, maxTokens: max, estCostUsd: 0.5 };
        expect(readRoutingHeader(writeRoutingHeader(h, flags), flags)).toEqual(h);
      }),
    );
    const flags = RESPONSE_FLAGS.HAS_CACHED_TOKENS | RESPONSE_FLAGS.HAS_REASONING_TOKENS | RESPONSE_FLAGS.HAS_COST_ESTIMATE;
    const r = { id: 'chatcmpl-x', model: 'o3', finishReason: 'length' as const, promptTokens: 300, completionTokens: 7, cachedTokens: 128, reasoningTokens: 5, estCostUsd: 0.25 };
    expect(readResponseHeader(writeResponseHeader(r, flags), flags)).toEqual(r);
  });

  it('cuts strings over 255 bytes at a character boundary', () => {
    const b = writeRoutingHeader({ model: 'é'.repeat(200), msgCount: 0, roles: [], contentHint: 0 }, 0);
    expect(b[0]).toBe(254);
    expect(readRoutingHeader(b, 0).model).toBe('é'.repeat(127));
  });

  it('rejects truncated or invalid headers', () => {
    expect(codeOf(() => readRoutingHeader(new Uint8Array(0), 0))).toBe('MALFORMED_FRAME');
    expect(codeOf(() => readRoutingHeader(Uint8Array.from([5, 0x61]), 0))).toBe('MALFORMED_FRAME');
    expect(codeOf(() => readRoutingHeader(Uint8Array.from([1, 0xff, 0, 0]), 0))).toBe('MALFORMED_FRAME');
    expect(codeOf(() => readRoutingHeader(Uint8Array.from([0, 0x40]), 0))).toBe('MALFORMED_FRAME');
    expect(codeOf(() => readRoutingHeader(Uint8Array.from([0, 0, 0x80]), 0))).toBe('MALFORMED_FRAME');
    expect(codeOf(() => readResponseHeader(Uint8Array.from([0, 0]), 0))).toBe('MALFORMED_FRAME');
  });
});
