import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rawBodyText } from '../../../daemon/agent-api/raw-body.js';

describe('rawBodyText', () => {
  it('cuts out the body exactly as written, wherever it sits and however it is spaced', () => {
    expect(rawBodyText('{"type":"send","to":"b@n","body":{ "a" : 1.0 ,"s":"x\\"}"}}')).toBe('{ "a" : 1.0 ,"s":"x\\"}"}');
    expect(rawBodyText(' { "body" : [1,[2,{"]":"["}]] , "type":"send"} ')).toBe('[1,[2,{"]":"["}]]');
    expect(rawBodyText('{"body":"a\\\\","to":"x"}')).toBe('"a\\\\"');
    expect(rawBodyText('{"body":-1.5e3}')).toBe('-1.5e3');
    expect(rawBodyText('{"body":null,"x":true}')).toBe('null');
  });

  it('takes the last of duplicate "body" keys (as JSON.parse does) and reads escaped key spellings', () => {
    expect(rawBodyText('{"body":1,"body":[2]}')).toBe('[2]');
    expect(rawBodyText('{"bod\\u0079":{"k":3},"type":"send"}')).toBe('{"k":3}');
    expect(rawBodyText('{"body\\"":1}')).toBeUndefined();
  });

  it('gives undefined (never throws) without a body or on text that is not an object', () => {
    for (const s of ['{}', '[]', '"body"', '{"type":"send"}', '', '{"body":', '{"body":"abc', '{"body" 1}', '{"a":1 "body":2}']) {
      expect(rawBodyText(s)).toBeUndefined();
    }
  });

  it('parses back to the same value as JSON.parse(line).body (property)', () => {
    const spaced = fc.constantFrom(undefined, 1, 2, '\t', ' \r ');
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), spaced, fc.nat(5), (body, others, space, at) => {
        const entries = Object.entries(others).filter(([k]) => k !== 'body');
        entries.splice(Math.min(at, entries.length), 0, ['body', body]);
        const line = JSON.stringify(Object.fromEntries(entries), null, space as string | number | undefined).replace(/\n/g, ' ');
        const raw = rawBodyText(line);
        expect(raw).toBeDefined();
        expect(JSON.parse(raw as string)).toEqual((JSON.parse(line) as { body: unknown }).body);
      }),
      { numRuns: 400 },
    );
  });
});

describe('hasLineBreak', () => {
  it('finds raw CR, LF, U+2028 and U+2029 anywhere, and nothing in escaped text', async () => {
    const { hasLineBreak } = await import('../../../daemon/agent-api/server.js');
    for (const c of ['\n', '\r', '\u2028', '\u2029']) {
      expect(hasLineBreak(`{"a":"x${c}"}`)).toBe(true);
      expect(hasLineBreak(`${c}{}`)).toBe(true);
    }
    expect(hasLineBreak('{"a":"x\\n\\r\\u2028"}')).toBe(false);
    expect(hasLineBreak('')).toBe(false);
  });
});

/** Verdict summaries as every producer builds them (members in this order), with strings of any code units. */
function verdictArb() {
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }));
  const score = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, -0, 1, 1e-7, 0.1234));
  return fc.record({ safe: fc.boolean(), blocked: fc.boolean(), score, threat: fc.option(text, { nil: null }), threats: fc.array(text, { maxLength: 3 }) });
}

describe('msgLineHead', () => {
  it('writes the same line as JSON.stringify of the message with the body moved last (property)', async () => {
    const { msgLineHead } = await import('../../../daemon/agent-api/server.js');
    const verdict = verdictArb();
    const msg = fc.record(
      { from: fc.oneof(fc.string(), fc.string({ unit: 'binary' })), to: fc.string({ unit: 'binary' }), id: fc.oneof(fc.string(), fc.integer()), msgId: fc.oneof(fc.string(), fc.string({ unit: 'binary' })), verdict: fc.option(verdict, { nil: null }), senderVerdict: verdict },
      { requiredKeys: ['from', 'to', 'msgId', 'verdict'] },
    );
    fc.assert(
      fc.property(msg, fc.jsonValue(), (m, body) => {
        const full = { type: 'msg' as const, from: m.from, to: m.to, id: m.id, msgId: m.msgId, body, verdict: m.verdict, senderVerdict: m.senderVerdict };
        const line = `${msgLineHead(full)}${JSON.stringify(body)}}`;
        const { body: _b, ...rest } = full;
        expect(line).toBe(JSON.stringify({ ...rest, body }));
      }),
      { numRuns: 300 },
    );
  });
});

describe('ackLine', () => {
  it('is JSON.stringify of the ack reply, with its newline (property)', async () => {
    const { ackLine } = await import('../../../daemon/agent-api/server.js');
    const verdict = verdictArb();
    fc.assert(
      fc.property(fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }), fc.constantFrom('delivered', 'sent', 'queued'), fc.oneof(fc.string(), fc.string({ unit: 'binary' })), fc.option(verdict, { nil: undefined }), (id, status, msgId, v) => {
        expect(ackLine({ status, msgId, verdict: v }, id)).toBe(`${JSON.stringify({ type: 'ack', id, status, msgId, verdict: v })}\n`);
      }),
      { numRuns: 300 },
    );
  });
});
