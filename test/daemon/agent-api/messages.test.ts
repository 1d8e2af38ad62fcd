import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../daemon/agent-api/messages.js';
import { isM2MError } from '../../../protocol/errors.js';

function code(line: string): string | undefined {
  try {
    parseRequest(line);
    return undefined;
  } catch (e) {
    return isM2MError(e) ? e.code : 'other';
  }
}

describe('parseRequest', () => {
  it('parses every request type', () => {
    expect(parseRequest('{"type":"hello","agent":"alice"}')).toEqual({ type: 'hello', agent: 'alice', id: undefined });
    expect(parseRequest('{"type":"send","to":"bob@n2","body":{"x":[1]},"id":"m1"}')).toEqual({ type: 'send', to: 'bob@n2', body: { x: [1] }, id: 'm1', bodyJson: '{"x":[1]}' });
    expect(parseRequest('{"type":"send","to":"bob","body":null,"id":7}')).toEqual({ type: 'send', to: 'bob', body: null, id: 7, bodyJson: 'null' });
    // The body's text as written; an envelope body is rewritten by the daemon, so it has none.
    expect(parseRequest('{"type":"send","to":"b","body": { "a" : 1.0 } }')).toMatchObject({ body: { a: 1 }, bodyJson: '{ "a" : 1.0 }' });
    expect(parseRequest('{"type":"send","to":"b","body":{},"envelope":true}')).toEqual({ type: 'send', to: 'b', body: {}, id: undefined, envelope: true });
    expect(parseRequest('{"type":"peers"}').type).toBe('peers');
    expect(parseRequest('{"type":"status","id":"s"}')).toEqual({ type: 'status', id: 's' });
  });

  it('rejects malformed lines with stable codes', () => {
    expect(code('{not json')).toBe('INVALID_JSON');
    expect(code('[1,2]')).toBe('BAD_INPUT');
    expect(code('{"type":"nope"}')).toBe('BAD_INPUT');
    expect(code('{"type":"hello","agent":"bad name"}')).toBe('BAD_INPUT');
    expect(code('{"type":"hello","agent":"a@b"}')).toBe('BAD_INPUT');
    expect(code('{"type":"send","to":"b@n"}')).toBe('BAD_INPUT');
    expect(code('{"type":"send","to":5,"body":1}')).toBe('BAD_INPUT');
    expect(code(`{"type":"status","id":"${'x'.repeat(200)}"}`)).toBe('BAD_INPUT');
  });
});
