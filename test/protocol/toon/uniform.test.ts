import { describe, expect, it } from 'vitest';
import { isUniformArray, recommendToonFormat, uniformArrayShare } from '../../../protocol/toon/uniform.js';

describe('uniform arrays', () => {
  const rows = [{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }];
  it('detects same-keyed primitive rows', () => {
    expect(isUniformArray(rows)).toBe(true);
    expect(isUniformArray(rows.slice(0, 2))).toBe(false);
    expect(isUniformArray([...rows, { id: 4, nom: 'd' }])).toBe(false);
    expect(isUniformArray([...rows, { id: 4, name: { x: 1 } }])).toBe(false);
    expect(isUniformArray([1, 2, 3])).toBe(false);
  });
  it('recommends @toon-format/toon only when uniform arrays dominate', () => {
    expect(recommendToonFormat({ users: rows }).recommend).toBe(true);
    expect(recommendToonFormat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).recommend).toBe(false);
    const mostlyText = { users: rows, prompt: 'x'.repeat(500) };
    expect(uniformArrayShare(mostlyText).arrays).toBe(1);
    expect(recommendToonFormat(mostlyText).recommend).toBe(false);
  });
});
