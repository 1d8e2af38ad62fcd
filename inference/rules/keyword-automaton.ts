/**
 * Which of many keywords occur in a text, in one pass: an Aho–Corasick
 * automaton (a DFA over the keyword characters) answering exactly
 * `lower.includes(keyword)` for each keyword, where `lower` is the text
 * lower-cased. ASCII text is read as it is, upper-case letters folded on the
 * fly; other text is lower-cased first (its case mapping is not ASCII-only).
 */

import { asciiBytes } from '../ascii.js';

/** Longest ASCII text walked as four quarters (the rules' windows are 2,048 characters); longer ones take one walk. */
const SPLIT_MAX = 8192;

/**
 * The four-quarters walk of {@link KeywordAutomaton}'s tables (see `findAsciiSplit`): sets `marks[group[s]]`
 * for every state `s` reached. A closure over the tables, made once per automaton: with one automaton in the
 * process (the rules'), V8 compiles it with them as constants, which measured ~1.5× faster than reading them
 * from the instance.
 *
 * Quarter `k` starts from the root at `k × step` and reads `span` characters (the last one reads on to the
 * end), where `step = span − (longest − 1)`: each quarter starts `longest − 1` characters before the previous
 * one stops, so a keyword occurrence lies whole inside the quarter in whose own part (from the previous
 * quarter's end) it ends. The four chains of dependent loads are independent: one loop runs them together.
 */
function splitWalker(
  classes: Uint8Array,
  delta: Uint16Array | Int32Array,
  width: number,
  mask: number,
  group: Int32Array,
  marks: Uint8Array,
  longest: number,
): (bytes: Uint8Array, n: number) => void {
  return (bytes, n) => {
    const span = (n + 3 * (longest - 1)) >>> 2;
    const step = span - (longest - 1);
    const s1 = step;
    const s2 = 2 * step;
    const s3 = 3 * step;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (let i = 0; i < span; i++) {
      a = delta[a * width + classes[bytes[i]]] & mask;
      b = delta[b * width + classes[bytes[s1 + i]]] & mask;
      c = delta[c * width + classes[bytes[s2 + i]]] & mask;
      d = delta[d * width + classes[bytes[s3 + i]]] & mask;
      marks[group[a]] = 1;
      marks[group[b]] = 1;
      marks[group[c]] = 1;
      marks[group[d]] = 1;
    }
    for (let j = s3 + span; j < n; j++) {
      d = delta[d * width + classes[bytes[j]]] & mask;
      marks[group[d]] = 1;
    }
  };
}

/** Keywords the automaton indexes: ASCII without upper-case letters (others are checked with `includes`). */
function indexable(k: string): boolean {
  if (k.length === 0) return false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c >= 0x80 || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** ASCII texts at least this many times the longest keyword are scanned as four interleaved quarters. */
const SPLIT_FACTOR = 4;

export class KeywordAutomaton {
  /** Class of each ASCII code (0: no keyword uses it); upper-case letters share their lower-case class. */
  private readonly classes = new Uint8Array(128);
  private readonly width: number;
  /** `delta[state * width + class]`: the next state. */
  private readonly delta: Uint16Array | Int32Array;
  /** Bit of a `delta` entry set when the target state ends a keyword. */
  private readonly flag: number;
  /** Per state: keyword ids ending here (own and via suffix links), flattened; `outStart[s]..outStart[s+1]`. */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  private readonly others: { id: number; keyword: string }[] = [];
  /** Scratch: 1 where the keyword occurs in the current text (a view of {@link marks} from index 1). */
  private readonly present: Uint8Array;
  /**
   * `marks[id + 1]` is `present[id]`; `marks[0]` absorbs the writes for states that end no keyword; past the
   * keywords, one mark per state that ends more than one ({@link multiStates}).
   */
  private readonly marks: Uint8Array;
  /**
   * Per state, where the split walk marks it: 1 + the id of the keyword it ends when it ends one, its own
   * mark past the keywords when it ends more, 0 (a mark nobody reads) when it ends none.
   */
  private readonly group: Int32Array;
  /** The states that end more than one keyword, by their marks' order past the keywords. */
  private readonly multiStates: Int32Array;
  /** Length of the longest indexed keyword. */
  private longest = 0;
  private readonly walk: (bytes: Uint8Array, n: number) => void;

  constructor(keywords: readonly string[]) {
    let width = 1;
    const ids: number[] = [];
    keywords.forEach((k, id) => {
      if (!indexable(k)) {
        this.others.push({ id, keyword: k });
        return;
      }
      ids.push(id);
      if (k.length > this.longest) this.longest = k.length;
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (this.classes[c] === 0) this.classes[c] = width++;
      }
    });
    for (let c = 0x41; c <= 0x5a; c++) this.classes[c] = this.classes[c + 0x20];
    this.width = width;
    // Trie in one flat table (-1: no edge), own keywords per state as linked lists: no per-state arrays.
    let capacity = 1;
    for (const id of ids) capacity += keywords[id].length;
    const go = new Int32Array(capacity * width).fill(-1);
    const ownHead = new Int32Array(capacity).fill(-1);
    const ownNext = new Int32Array(keywords.length).fill(-1);
    let n = 1;
    for (const id of ids) {
      const k = keywords[id];
      let st = 0;
      for (let i = 0; i < k.length; i++) {
        const at = st * width + this.classes[k.charCodeAt(i)];
        if (go[at] === -1) go[at] = n++;
        st = go[at];
      }
      ownNext[id] = ownHead[st];
      ownHead[st] = id;
    }
    // Breadth-first: failure links, then every missing edge filled from the failure state (a full DFA);
    // `dict[s]`: the nearest state on the failure chain that ends a keyword, for the outputs.
    const fail = new Int32Array(n);
    const dict = new Int32Array(n).fill(-1);
    const queue = new Int32Array(n);
    let tail = 0;
    for (let cls = 0; cls < width; cls++) {
      const t = go[cls];
      if (t === -1) go[cls] = 0;
      else queue[tail++] = t;
    }
    for (let head = 0; head < tail; head++) {
      const st = queue[head];
      const f = fail[st];
      dict[st] = ownHead[f] !== -1 ? f : dict[f];
      for (let cls = 0; cls < width; cls++) {
        const t = go[st * width + cls];
        if (t === -1) go[st * width + cls] = go[f * width + cls];
        else {
          fail[t] = go[f * width + cls];
          queue[tail++] = t;
        }
      }
    }
    // Outputs per state: its own keywords, then those along the dictionary links.
    const emits = (st: number, each: (id: number) => void): void => {
      for (let x = ownHead[st] !== -1 ? st : dict[st]; x > 0; x = dict[x]) for (let id = ownHead[x]; id !== -1; id = ownNext[id]) each(id);
    };
    // States renumbered breadth-first: the shallow states, where the scan spends nearly all its time, share
    // a few cache lines. Each entry also says whether its target state ends a keyword (the flag bit), so the
    // scan reads one table per character; 16-bit entries while the states fit in 15 bits (about 2,500 for
    // the shipped rules: 250 KB).
    const order = new Int32Array(n);
    order.set(queue.subarray(0, tail), 1);
    const rank = new Int32Array(n);
    for (let at = 0; at < n; at++) rank[order[at]] = at;
    const ends = new Uint8Array(n);
    for (let st = 1; st < n; st++) ends[st] = ownHead[st] !== -1 || dict[st] > 0 ? 1 : 0;
    const small = n <= 0x7fff;
    this.flag = small ? 0x8000 : 0x40000000;
    const table = small ? new Uint16Array(n * width) : new Int32Array(n * width);
    for (let at = 0; at < n; at++) {
      const old = order[at];
      for (let cls = 0; cls < width; cls++) {
        const t = go[old * width + cls];
        table[at * width + cls] = rank[t] | (ends[t] ? this.flag : 0);
      }
    }
    this.delta = table;
    this.outStart = new Int32Array(n + 1);
    const outIds: number[] = [];
    for (let at = 0; at < n; at++) {
      emits(order[at], (id) => outIds.push(id));
      this.outStart[at + 1] = outIds.length;
    }
    this.outIds = Int32Array.from(outIds);
    this.group = new Int32Array(n);
    const multi: number[] = [];
    for (let at = 0; at < n; at++) {
      const count = this.outStart[at + 1] - this.outStart[at];
      if (count === 1) this.group[at] = this.outIds[this.outStart[at]] + 1;
      else if (count >= 2) {
        this.group[at] = keywords.length + 1 + multi.length;
        multi.push(at);
      }
    }
    this.multiStates = Int32Array.from(multi);
    this.marks = new Uint8Array(keywords.length + 1 + multi.length);
    this.present = this.marks.subarray(1, keywords.length + 1);
    this.walk = splitWalker(this.classes, this.delta, width, this.flag - 1, this.group, this.marks, this.longest);
  }

  /**
   * For each keyword (by index), 1 when `text.toLowerCase()` contains it. The
   * array is scratch owned by the automaton: valid until the next call.
   * @param ascii whether `text` has no character above U+007F (when the caller knows)
   */
  find(text: string, ascii = !NON_ASCII.test(text)): Uint8Array {
    const present = this.present;
    this.marks.fill(0);
    if (ascii && this.longest > 0 && text.length >= SPLIT_FACTOR * this.longest && text.length <= SPLIT_MAX) this.findAsciiSplit(text);
    else {
      const s = ascii ? text : text.toLowerCase();
      const { classes, delta, width, flag } = this;
      const mask = flag - 1;
      let state = 0;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const next = delta[state * width + (c < 128 ? classes[c] : 0)];
        state = next & mask;
        if (next & flag) this.emit(state);
      }
    }
    if (this.others.length > 0) {
      const l = text.toLowerCase();
      for (const o of this.others) if (l.includes(o.keyword)) present[o.id] = 1;
    }
    return present;
  }

  /**
   * ASCII text as four quarters walked in one loop: the walk is a chain of dependent table loads, so four
   * independent chains take little longer than one. Each quarter's walk starts from the root `longest − 1`
   * characters before the previous one stops, so together they see every keyword occurrence (see
   * {@link splitWalker}). Short keywords end every few characters in ordinary text, so the loop has no branch
   * on it: each state reached marks its group (its keyword; states that end none mark the unused `marks[0]`),
   * and the keywords of the states that end more than one are marked after the walk, once per state reached.
   */
  private findAsciiSplit(text: string): void {
    this.walk(asciiBytes(text), text.length);
    const { marks, multiStates } = this;
    const base = this.present.length + 1;
    for (let m = 0; m < multiStates.length; m++) if (marks[base + m] === 1) this.emit(multiStates[m]);
  }

  /** Mark every keyword ending at `state`. */
  private emit(state: number): void {
    const { outStart, outIds, present } = this;
    const end = outStart[state + 1];
    for (let k = outStart[state]; k < end; k++) present[outIds[k]] = 1;
  }
}
