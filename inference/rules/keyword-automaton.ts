/**
 * Which of many keywords occur in a text, in one pass: an Aho–Corasick
 * automaton (a DFA over the keyword characters) answering exactly
 * `lower.includes(keyword)` for each keyword, where `lower` is the text
 * lower-cased. ASCII text is read as it is, upper-case letters folded on the
 * fly; other text is lower-cased first (its case mapping is not ASCII-only).
 */

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
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (this.classes[c] === 0) this.classes[c] = width++;
      }
    });
    for (let c = 0x41; c <= 0x5a; c++) this.classes[c] = this.classes[c + 0x20];
    this.width = width;
    // Trie.
    const trie: number[][] = [new Array<number>(width).fill(-1)];
    const own: number[][] = [[]];
    for (const id of ids) {
      const k = keywords[id];
      let s = 0;
      for (let i = 0; i < k.length; i++) {
        const cls = this.classes[k.charCodeAt(i)];
        if (trie[s][cls] === -1) {
          trie[s][cls] = trie.length;
          trie.push(new Array<number>(width).fill(-1));
          own.push([]);
        }
        s = trie[s][cls];
      }
      own[s].push(id);
    }
    // Breadth-first: failure links, full transitions, outputs along the suffix chain.
    const n = trie.length;
    const delta = new Int32Array(n * width);
    const fail = new Int32Array(n);
    const outs: number[][] = own.map((o) => [...o]);
    const queue: number[] = [];
    for (let cls = 0; cls < width; cls++) {
      const t = trie[0][cls];
      delta[cls] = t === -1 ? 0 : t;
      if (t !== -1) queue.push(t);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      outs[s].push(...outs[fail[s]].filter((id) => !own[s].includes(id)));
      for (let cls = 0; cls < width; cls++) {
        const t = trie[s][cls];
        if (t === -1) {
          delta[s * width + cls] = delta[fail[s] * width + cls];
        } else {
          delta[s * width + cls] = t;
          fail[t] = delta[fail[s] * width + cls];
          queue.push(t);
        }
      }
    }
    // States renumbered breadth-first: the shallow states, where the scan spends nearly all its time, share
    // a few cache lines. Each entry also says whether its target state ends a keyword (the flag bit), so the
    // scan reads one table per character; 16-bit entries while the states fit in 15 bits (about 2,500 for
    // the shipped rules: 250 KB).
    const order = [0, ...queue];
    const rank = new Int32Array(n);
    order.forEach((old, at) => {
      rank[old] = at;
    });
    const small = n <= 0x7fff;
    this.flag = small ? 0x8000 : 0x40000000;
    const table = small ? new Uint16Array(n * width) : new Int32Array(n * width);
    for (let at = 0; at < n; at++) {
      const old = order[at];
      for (let cls = 0; cls < width; cls++) {
        const t = delta[old * width + cls];
        table[at * width + cls] = rank[t] | (outs[t].length > 0 ? this.flag : 0);
      }
    }
    this.delta = table;
    this.outStart = new Int32Array(n + 1);
    for (let at = 0; at < n; at++) this.outStart[at + 1] = this.outStart[at] + outs[order[at]].length;
    this.outIds = Int32Array.from(order.flatMap((old) => outs[old]));
  }

  /**
   * For each keyword (by index), 1 when `text.toLowerCase()` contains it. The
   * array is scratch owned by the automaton: valid until the next call.
   * @param ascii whether `text` has no character above U+007F (when the caller knows)
   */
  find(text: string, ascii = !NON_ASCII.test(text)): Uint8Array {
    const present = this.present;
    present.fill(0);
    const s = ascii ? text : text.toLowerCase();
    const { classes, delta, width, outStart, outIds, flag } = this;
    const mask = flag - 1;
    let state = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const next = delta[state * width + (c < 128 ? classes[c] : 0)];
      state = next & mask;
      if (next & flag) {
        const end = outStart[state + 1];
        for (let k = outStart[state]; k < end; k++) present[outIds[k]] = 1;
      }
    }
    if (this.others.length > 0) {
      const l = ascii ? text.toLowerCase() : s;
      for (const o of this.others) if (l.includes(o.keyword)) present[o.id] = 1;
    }
    return present;
  }
}
