/**
 * Which of many keywords occur in a text, in one pass: an Aho–Corasick
 * automaton (a DFA over the keyword characters) answering exactly
 * `lower.includes(keyword)` for each keyword, where `lower` is the text
 * lower-cased. ASCII text is read as it is, upper-case letters folded on the
 * fly; other text is lower-cased first (its case mapping is not ASCII-only).
 */

import { asciiBytes } from '../ascii.js';

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

/** ASCII texts at least this many times the longest keyword are scanned as two interleaved halves. */
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
  /** Scratch: 1 where the keyword occurs in the current text. */
  private readonly present: Uint8Array;
  /** Length of the longest indexed keyword. */
  private longest = 0;
  /** Bit position of {@link flag}: `entry >>> flagShift` is 1 when the entry's target ends a keyword. */
  private readonly flagShift: number;
  /** Scratch of {@link findAsciiSplit}: states reached that end a keyword, in order, repeats included. */
  private ended = new Int32Array(1024);
  /** Per state: the last call ({@link epoch}) whose keywords it marked. */
  private readonly stamps: Int32Array;
  private epoch = 0;

  constructor(keywords: readonly string[]) {
    this.present = new Uint8Array(keywords.length);
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
    this.flagShift = small ? 15 : 30;
    this.stamps = new Int32Array(n);
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
  }

  /**
   * For each keyword (by index), 1 when `text.toLowerCase()` contains it. The
   * array is scratch owned by the automaton: valid until the next call.
   * @param ascii whether `text` has no character above U+007F (when the caller knows)
   */
  find(text: string, ascii = !NON_ASCII.test(text)): Uint8Array {
    const present = this.present;
    present.fill(0);
    if (ascii && this.longest > 0 && text.length >= SPLIT_FACTOR * this.longest) this.findAsciiSplit(text);
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
   * ASCII text as two halves walked in one loop: the walk is a chain of dependent table loads, so two
   * independent chains take little longer than one. The second walk starts from the root `longest − 1`
   * characters before the first one stops, so together they see every keyword occurrence: one ending
   * before `mid` lies in the first half, one ending at or after `mid` starts at or after the second's start.
   * Common words end keywords every few characters: the loop only notes each state that ends one (a
   * write and an add, no branch), and each distinct state's keywords are marked afterwards.
   */
  private findAsciiSplit(text: string): void {
    const bytes = asciiBytes(text);
    const n = text.length;
    if (this.ended.length < n + this.longest) this.ended = new Int32Array(Math.max(n + this.longest, this.ended.length * 2));
    const ended = this.ended;
    const { classes, delta, width, flag, flagShift } = this;
    const mask = flag - 1;
    const mid = (n + this.longest - 1) >>> 1;
    const startB = mid - (this.longest - 1);
    let a = 0;
    let b = 0;
    let e = 0;
    for (let i = 0; i < mid; i++) {
      const na = delta[a * width + classes[bytes[i]]];
      const nb = delta[b * width + classes[bytes[startB + i]]];
      a = na & mask;
      b = nb & mask;
      ended[e] = a;
      e += na >>> flagShift;
      ended[e] = b;
      e += nb >>> flagShift;
    }
    for (let j = startB + mid; j < n; j++) {
      const nb = delta[b * width + classes[bytes[j]]];
      b = nb & mask;
      ended[e] = b;
      e += nb >>> flagShift;
    }
    const stamp = ++this.epoch;
    if (stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
    const stamps = this.stamps;
    for (let k = 0; k < e; k++) {
      const st = ended[k];
      if (stamps[st] === this.epoch) continue;
      stamps[st] = this.epoch;
      this.emit(st);
    }
  }

  /** Mark every keyword ending at `state`. */
  private emit(state: number): void {
    const { outStart, outIds, present } = this;
    const end = outStart[state + 1];
    for (let k = outStart[state]; k < end; k++) present[outIds[k]] = 1;
  }
}
