/**
 * Which literal strings a regex cannot match without: for a pattern, up to
 * three sets of lower-case ASCII strings such that every match contains a
 * string of each set. The matcher skips a pattern on ASCII text whose
 * lower-cased form misses every string of some set, so the regex runs only
 * where it could match.
 *
 * The analysis reads the pattern source (the subset of syntax the rules use)
 * and is conservative: anything it does not understand (classes it cannot
 * enumerate, `\w`, `.`, non-ASCII literals, backreferences, the `v` flag)
 * counts as "could be anything", which only weakens the filter, never skips a
 * pattern that could match. It holds for ASCII text only: there, lower-casing
 * maps exactly the characters a case-insensitive ASCII literal matches.
 */

/** Largest set of alternatives tracked before giving up on a node. */
const MAX_SET = 64;
/** Largest character class enumerated. */
const MAX_CLASS = 4;

interface Info {
  /** Every string the node can match (lower-cased), or null when unknown or too many. */
  exact: string[] | null;
  /** Sets of which every match contains one string each (all of them hold), best first; empty when nothing is known. */
  needs: string[][];
}

/** Most literal sets kept per pattern (each one more check before the regex). */
const MAX_SETS = 3;

const ANY: Info = { exact: null, needs: [] };
const EMPTY: Info = { exact: [''], needs: [] };

/** A usable requirement: non-empty and without the empty string (which every text contains). */
function useful(set: string[] | null): set is string[] {
  return set !== null && set.length > 0 && !set.includes('');
}

/** The node's strongest single requirement: its best set, else its exact strings. */
function bestNeed(info: Info): string[] | null {
  if (info.needs.length > 0) return info.needs[0];
  return useful(info.exact) ? info.exact : null;
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Info {
    const info = this.alternation();
    if (this.i !== this.src.length) throw new Error('unbalanced');
    return info;
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0];
    let exact: Set<string> | null = new Set();
    let need: Set<string> | null = new Set();
    for (const b of branches) {
      if (exact && b.exact) for (const x of b.exact) exact.add(x);
      else exact = null;
      const n = bestNeed(b);
      if (need && n) for (const x of n) need.add(x);
      else need = null;
      if (exact && exact.size > MAX_SET) exact = null;
      if (need && need.size > MAX_SET) need = null;
    }
    const needList = need ? [...need] : null;
    return { exact: exact ? [...exact] : null, needs: useful(needList) ? [needList] : [] };
  }

  private sequence(): Info {
    const parts: Info[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const p = this.quantified();
      // Consecutive plain literals become one (the same strings, far fewer intermediate sets).
      const last = parts[parts.length - 1];
      if (last !== undefined && single(last) && single(p)) parts[parts.length - 1] = { exact: [(last.exact as string[])[0] + (p.exact as string[])[0]], needs: [] };
      else parts.push(p);
    }
    // Each part's requirements and each maximal run of consecutive exact parts (joined) are all necessary.
    const sets: string[][] = [];
    let exact: string[] | null = [''];
    let run: string[] | null = [''];
    let runSet = -1;
    const keepRun = (r: string[]): void => {
      if (!useful(r)) return;
      // A longer run dominates the run it extends: replace it.
      if (runSet >= 0) sets[runSet] = r;
      else {
        runSet = sets.length;
        sets.push(r);
      }
    };
    for (const p of parts) {
      sets.push(...p.needs);
      exact = exact && p.exact ? product(exact, p.exact) : null;
      if (p.exact) {
        const joined: string[] | null = run ? product(run, p.exact) : null;
        // A run too wide to track ends; a new one starts at this part.
        if (joined === null) {
          runSet = -1;
          run = p.exact;
        } else run = joined;
        keepRun(run);
      } else {
        run = [''];
        runSet = -1;
      }
    }
    if (sets.length <= 1) return { exact, needs: sets };
    const distinct = [...new Map(sets.map((set) => [[...set].sort().join('\u0000'), set])).values()];
    const ranked = distinct.map((set) => ({ set, shortest: shortest(set) }));
    // Rarer first: a longer shortest string, then fewer strings.
    ranked.sort((a, b) => b.shortest - a.shortest || a.set.length - b.set.length);
    return { exact, needs: ranked.slice(0, MAX_SETS).map((r) => r.set) };
  }

  private quantified(): Info {
    const atom = this.atom();
    const q = this.quantifier();
    if (q === null) return atom;
    if (this.src[this.i] === '?') this.i++;
    const [min, max] = q;
    const atomNeed = bestNeed(atom);
    const needs = min >= 1 ? (atom.needs.length > 0 ? atom.needs : atomNeed ? [atomNeed] : []) : [];
    let exact: string[] | null = null;
    if (atom.exact && max !== Infinity && max <= 3) {
      exact = [];
      let power: string[] | null = [''];
      for (let k = 0; k <= max; k++) {
        if (power === null || exact === null) {
          exact = null;
          break;
        }
        if (k >= min) exact = union(exact, power);
        power = product(power, atom.exact);
      }
    }
    return { exact, needs };
  }

  private quantifier(): [number, number] | null {
    const c = this.src[this.i];
    if (c === '*') return this.step(1, [0, Infinity]);
    if (c === '+') return this.step(1, [1, Infinity]);
    if (c === '?') return this.step(1, [0, 1]);
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return null;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      return this.step(m[0].length, [min, max]);
    }
    return null;
  }

  private step<T>(n: number, value: T): T {
    this.i += n;
    return value;
  }

  private atom(): Info {
    const c = this.src[this.i++];
    if (c === '(') {
      let lookaround = false;
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i)) [this.i, lookaround] = [this.i + 2, true];
      else if (this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i)) [this.i, lookaround] = [this.i + 3, true];
      else if (this.src.startsWith('?<', this.i)) this.i = this.src.indexOf('>', this.i) + 1;
      else if (this.src[this.i] === '?') throw new Error('unknown group');
      const inner = this.alternation();
      if (this.src[this.i++] !== ')') throw new Error('unbalanced');
      return lookaround ? EMPTY : inner;
    }
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    if (c === '^' || c === '$') return EMPTY;
    if (c === '.') return ANY;
    if (c === ')' || c === '|' || c === undefined) throw new Error('unexpected');
    return literal(c);
  }

  private escape(): Info {
    const c = this.src[this.i++];
    if (c === 'b' || c === 'B') return EMPTY;
    const ch = escapedChar(c, this.src, this.i);
    if (ch === null) {
      this.skipEscapeTail(c);
      return ANY;
    }
    this.i += ch.consumed;
    return literal(ch.char);
  }

  /** Skip what belongs to an escape that stands for something unknown: `\k<name>`, `\cX`, `\12`, `\p{…}`, `\u{…}`. */
  private skipEscapeTail(c: string): void {
    if (c === 'k' && this.src[this.i] === '<') this.i = this.src.indexOf('>', this.i) + 1;
    else if (c === 'c') this.i++;
    else if (c >= '0' && c <= '9') while (this.src[this.i] >= '0' && this.src[this.i] <= '9') this.i++;
    else if (this.src[this.i] === '{') this.i = this.src.indexOf('}', this.i) + 1;
    if (this.i <= 0) throw new Error('unterminated escape');
  }

  private charClass(): Info {
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    const chars = new Set<string>();
    let known = !negated;
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      const lo = this.classChar();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        const hi = this.classChar();
        if (lo === null || hi === null || hi.charCodeAt(0) - lo.charCodeAt(0) >= MAX_CLASS) known = false;
        else for (let k = lo.charCodeAt(0); k <= hi.charCodeAt(0); k++) chars.add(String.fromCharCode(k));
        continue;
      }
      if (lo === null) known = false;
      else chars.add(lo);
    }
    if (this.src[this.i++] !== ']') throw new Error('unbalanced class');
    if (!known) return ANY;
    const lower = [...new Set([...chars].map((ch) => ch.toLowerCase()))];
    if (lower.length > MAX_CLASS || lower.some((ch) => ch.charCodeAt(0) > 0x7f)) return ANY;
    return { exact: lower, needs: [] };
  }

  /** One class member; null for escapes that stand for many characters. */
  private classChar(): string | null {
    const c = this.src[this.i++];
    if (c !== '\\') return c;
    const e = this.src[this.i++];
    if (e === 'b') return null;
    const ch = escapedChar(e, this.src, this.i);
    if (ch === null) {
      this.skipEscapeTail(e);
      return null;
    }
    this.i += ch.consumed;
    return ch.char;
  }
}

const CONTROL: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };

/** The single character an escape stands for (and how many more source characters it uses), or null. */
function escapedChar(c: string, src: string, at: number): { char: string; consumed: number } | null {
  if (c in CONTROL) return { char: CONTROL[c], consumed: 0 };
  if (c === 'x' && /^[0-9a-fA-F]{2}/.test(src.slice(at, at + 2))) return { char: String.fromCharCode(parseInt(src.slice(at, at + 2), 16)), consumed: 2 };
  if (c === 'u' && /^[0-9a-fA-F]{4}/.test(src.slice(at, at + 4))) return { char: String.fromCharCode(parseInt(src.slice(at, at + 4), 16)), consumed: 4 };
  // Letters and digits escape to classes, assertions, backreferences or controls: unknown.
  if (c === undefined || /[A-Za-z0-9]/.test(c)) return null;
  return { char: c, consumed: 0 };
}

function literal(c: string): Info {
  const code = c.charCodeAt(0);
  if (code > 0x7f) return ANY;
  return { exact: [c.toLowerCase()], needs: [] };
}

function union(a: string[], b: string[]): string[] | null {
  const out = new Set(a);
  for (const x of b) out.add(x);
  return out.size > MAX_SET ? null : [...out];
}

function product(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_SET) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out];
}

function shortest(set: readonly string[]): number {
  let min = Infinity;
  for (const x of set) if (x.length < min) min = x.length;
  return min;
}

/** A plain literal: exactly one string, nothing else known. */
function single(info: Info): boolean {
  return info.exact !== null && info.exact.length === 1 && info.needs.length === 0;
}

/**
 * Sets of lower-case ASCII strings such that every match of `pattern` (on
 * ASCII text) contains a string of each set; null when no such set is known.
 */
export function requiredLiterals(pattern: RegExp): string[][] | null {
  if (pattern.flags.includes('v')) return null;
  try {
    const info = new Parser(pattern.source).parse();
    const sets = info.needs.length > 0 ? info.needs : useful(info.exact) ? [info.exact] : [];
    return sets.length > 0 ? sets : null;
  } catch {
    return null;
  }
}
