/**
 * Per-word cache of a word's hashed features (its unigram and character
 * n-grams). Words repeat within a message and across messages, and these
 * features depend only on the word, so each distinct word is hashed once and
 * its occurrences in one text are counted, then added to the accumulator with
 * their count. Counts are
 * integers, so the sums (and the finished vector) are exactly those of adding
 * every n-gram of every occurrence one by one.
 *
 * Direct-mapped and bounded: a word evicts whatever word shared its slot.
 */
import type { Accumulator } from './accumulator.js';

/** Slots in the cache (a power of two). */
export const WORD_CACHE_SLOTS = 4096;
/** Longer words are hashed directly every time (few repeat; their n-gram lists are long). */
export const WORD_CACHE_MAX_CHARS = 20;

export class WordNgramCache {
  private readonly keys: (string | undefined)[] = new Array<string | undefined>(WORD_CACHE_SLOTS);
  private readonly ngrams: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(WORD_CACHE_SLOTS);
  /** Occurrences of the slot's word in the current text, not yet added. */
  private readonly counts = new Int32Array(WORD_CACHE_SLOTS);
  /** Slots with a pending count (a slot may repeat; its count is then 0). */
  private pending = new Int32Array(256);
  private pendingSize = 0;

  /**
   * @param compute writes the n-gram hashes of `s[from, to)` into a fresh array
   */
  constructor(private readonly compute: (s: string, from: number, to: number) => Int32Array) {}

  /** Count one occurrence of the word `s[from, to)`, whose hash is `hash`; may flush an evicted word into `acc`. */
  count(acc: Accumulator, s: string, from: number, to: number, hash: number): void {
    const slot = hash & (WORD_CACHE_SLOTS - 1);
    const key = this.keys[slot];
    if (key !== undefined && sameWord(key, s, from, to)) {
      if (this.counts[slot]++ === 0) this.push(slot);
      return;
    }
    if (this.counts[slot] > 0) this.flushSlot(acc, slot);
    this.keys[slot] = s.slice(from, to);
    this.ngrams[slot] = this.compute(s, from, to);
    this.counts[slot] = 1;
    this.push(slot);
  }

  /** Add every pending word's n-grams, times its count, to `acc`. */
  flush(acc: Accumulator): void {
    for (let k = 0; k < this.pendingSize; k++) {
      const slot = this.pending[k];
      if (this.counts[slot] > 0) this.flushSlot(acc, slot);
    }
    this.pendingSize = 0;
  }

  private flushSlot(acc: Accumulator, slot: number): void {
    const times = this.counts[slot];
    const list = this.ngrams[slot] as Int32Array;
    for (let k = 0; k < list.length; k++) acc.addTimes(list[k], times);
    this.counts[slot] = 0;
  }

  private push(slot: number): void {
    if (this.pendingSize === this.pending.length) {
      const grown = new Int32Array(this.pending.length * 2);
      grown.set(this.pending);
      this.pending = grown;
    }
    this.pending[this.pendingSize++] = slot;
  }
}

function sameWord(key: string, s: string, from: number, to: number): boolean {
  if (key.length !== to - from) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== s.charCodeAt(from + i)) return false;
  return true;
}
