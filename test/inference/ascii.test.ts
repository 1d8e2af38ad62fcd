import { describe, expect, it } from 'vitest';
import { isAscii } from '../../inference/ascii.js';

describe('isAscii', () => {
  it('answers for each text, also when asked about the same or another text again', () => {
    expect(isAscii('')).toBe(true);
    expect(isAscii('plain text\n\t~')).toBe(true);
    expect(isAscii('plain text\n\t~')).toBe(true);
    expect(isAscii('café')).toBe(false);
    expect(isAscii('café')).toBe(false);
    expect(isAscii('\u0080')).toBe(false);
    expect(isAscii('\u007f')).toBe(true);
    expect(isAscii('😀')).toBe(false);
    expect(isAscii('cafe')).toBe(true);
  });
});
