import { describe, expect, it } from 'vitest';
import { answerReferenceHello, decodeEnvelope, encodeEnvelope, type RefCapabilities } from '../../../protocol/session/envelope.js';
import { limitsWith } from '../../../protocol/limits.js';

// The reference's default Capabilities, byte for byte as its serde output (reference notes §3).
const REF_HELLO =
  '{"type":"HELLO","payload":{"version":"3.0","agent_id":"0b4f6a0e-2d7a-4c36-9a57-4f7d1c2b9e10","agent_type":"m2m-rust","compression":{"algorithms":["m2m","tokennative","brotli","none"],"max_payload":0,"streaming":true,"ml_routing":false,"encodings":["Cl100kBase","O200kBase"],"preferred_encoding":"Cl100kBase"},"security":{"threat_detection":false,"model_version":null,"blocking_mode":false,"block_threshold":0.8},"extensions":{}},"timestamp":1737000000000}';

const local: RefCapabilities = {
  version: '3.0',
  agent_id: 'm2m-ts-node',
  agent_type: 'm2m-ts',
  compression: { algorithms: ['tokennative', 'brotli', 'none'], max_payload: 16777216, streaming: true, ml_routing: false, encodings: ['O200kBase', 'Cl100kBase', 'LlamaBpe'], preferred_encoding: 'O200kBase' },
  security: { threat_detection: true, model_version: 'm2m-guard-1', blocking_mode: true, block_threshold: 0.7 },
  extensions: {},
};

describe('reference JSON envelope', () => {
  it('decodes and re-encodes the reference HELLO byte for byte', () => {
    const env = decodeEnvelope(REF_HELLO);
    expect(env.type).toBe('HELLO');
    expect(encodeEnvelope(env)).toBe(REF_HELLO);
  });

  it.each([
    '{"type":"DATA","session_id":"s1","payload":{"algorithm":"tokennative","content":"#TK|C|sk0L/Q4A"},"timestamp":5}',
    '{"type":"DATA","session_id":"s1","payload":{"algorithm":"brotli","content":"#M2M[v3.0]|DATA:CwCAaGk=","original_size":2,"security_status":{"scanned":true,"safe":true}},"timestamp":5}',
    '{"type":"REJECT","payload":{"code":"NO_COMMON_ALGORITHM","message":"no"},"timestamp":1}',
    '{"type":"PING","session_id":"s1","payload":{},"timestamp":1}',
    '{"type":"CLOSE","session_id":"s1","payload":{},"timestamp":1}',
  ])('round-trips %s', (json) => {
    expect(encodeEnvelope(decodeEnvelope(json))).toBe(json);
  });

  it.each([
    ['no timestamp', '{"type":"PING","payload":{}}', 'BAD_INPUT'],
    ['unknown type', '{"type":"HUG","payload":{},"timestamp":1}', 'BAD_INPUT'],
    ['not JSON', '{"type":', 'INVALID_JSON'],
    ['DATA without content', '{"type":"DATA","payload":{"algorithm":"m2m"},"timestamp":1}', 'BAD_INPUT'],
    ['threshold out of range', REF_HELLO.replace('"block_threshold":0.8', '"block_threshold":7'), 'BAD_INPUT'],
  ])('rejects %s', (_n, json, code) => {
    expect(() => decodeEnvelope(json)).toThrow(expect.objectContaining({ code }));
  });

  it('bounds nesting and size', () => {
    const deep = `{"type":"PING","payload":${'{"a":'.repeat(40)}1${'}'.repeat(40)},"timestamp":1}`;
    expect(() => decodeEnvelope(deep)).toThrow(expect.objectContaining({ code: 'TOO_DEEP' }));
    expect(() => decodeEnvelope(REF_HELLO, limitsWith({ maxInputBytes: 100 }))).toThrow(expect.objectContaining({ code: 'INPUT_TOO_LARGE' }));
  });

  it('answers a reference HELLO with the agreed result, initiator preference first', () => {
    const hello = decodeEnvelope(REF_HELLO);
    if (hello.type !== 'HELLO') throw new Error('expected HELLO');
    const reply = answerReferenceHello(hello.payload, local, 'sess-9', 42);
    expect(reply).toEqual({
      type: 'ACCEPT',
      session_id: 'sess-9',
      timestamp: 42,
      payload: {
        ...local,
        compression: { algorithms: ['tokennative', 'brotli', 'none'], max_payload: 16777216, streaming: true, ml_routing: false, encodings: ['Cl100kBase', 'O200kBase'], preferred_encoding: 'Cl100kBase' },
        security: { threat_detection: true, model_version: 'm2m-guard-1', blocking_mode: true, block_threshold: 0.7 },
      },
    });
    expect(answerReferenceHello({ ...hello.payload, version: '1.0' }, local, 's', 1)).toMatchObject({ type: 'REJECT', payload: { code: 'VERSION_MISMATCH' } });
    expect(answerReferenceHello({ ...hello.payload, compression: { ...hello.payload.compression, algorithms: ['m2m'] } }, local, 's', 1)).toMatchObject({ type: 'REJECT', payload: { code: 'NO_COMMON_ALGORITHM' } });
  });
});
