import { describe, expect, it } from 'vitest';
import { isJsonContentType, isToonContentType, prefersToon, TOON_ACCEPT } from '../../../daemon/toon/negotiate.js';

describe('Accept negotiation', () => {
  it('prefers TOON for the seed Accept header', () => {
    expect(TOON_ACCEPT).toBe('application/toon+json, application/json;q=0.9');
    expect(prefersToon(TOON_ACCEPT)).toBe(true);
  });
  it('keeps JSON unless TOON is named and ranked at least as high', () => {
    expect(prefersToon(undefined)).toBe(false);
    expect(prefersToon('*/*')).toBe(false);
    expect(prefersToon('application/json')).toBe(false);
    expect(prefersToon('application/json, application/toon+json;q=0.5')).toBe(false);
    expect(prefersToon('application/toon+json;q=0')).toBe(false);
    expect(prefersToon('application/toon+json;q=0.8, */*;q=0.1')).toBe(true);
    expect(prefersToon('Application/TOON+json')).toBe(true);
  });
  it('recognises content types with parameters', () => {
    expect(isToonContentType('application/toon+json; charset=utf-8')).toBe(true);
    expect(isToonContentType('application/json')).toBe(false);
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/problem+json')).toBe(true);
    expect(isJsonContentType('application/toon+json')).toBe(false);
    expect(isJsonContentType('text/plain')).toBe(false);
  });
});
