import { describe, expect, it } from 'vitest';
import { HttpSessionTable } from '../../../daemon/http/http-sessions.js';

describe('HttpSessionTable', () => {
  it('expires idle sessions and refuses when full of live ones', () => {
    let now = 0;
    const t = new HttpSessionTable(1000, 2, () => now);
    const a = t.create('alice', ['m2m'])!;
    const b = t.create(undefined, ['m2m'])!;
    expect(b.agent).toBe(`http.${b.id.slice(0, 8)}`);
    expect(t.create('carol', ['m2m'])).toBeUndefined();
    now = 900;
    expect(t.get(a.id)).toBe(a);
    now = 1500;
    expect(t.get(b.id)).toBeUndefined();
    expect(t.create('carol', ['m2m'])).toBeDefined();
    expect(t.size).toBe(2);
    now = 5000;
    expect(t.size).toBe(0);
  });

  it('idle 0 never expires', () => {
    let now = 0;
    const t = new HttpSessionTable(0, 10, () => now);
    const a = t.create('a', [])!;
    now = 1e12;
    expect(t.get(a.id)).toBe(a);
    expect(t.delete(a.id)).toBe(true);
    expect(t.get(a.id)).toBeUndefined();
  });
});
