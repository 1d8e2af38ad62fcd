/**
 * Whether a text holds a control character (U+0000–U+001F), the one check of a JSON string that no native
 * string search does fast: a regex or a JavaScript loop costs about as much as `JSON.parse` of the whole
 * text. Here the text is encoded to UTF-8 natively (`TextEncoder.encodeInto`, where such a character is a
 * byte below 0x20 and no other character has one) into the memory of a tiny WebAssembly function that
 * compares 16 bytes per step. Where WebAssembly SIMD is missing, or the text is too long for that memory,
 * the answer is "maybe" and the caller checks the places that matter itself.
 */

/** Bytes of WebAssembly memory: texts up to a third of this (UTF-8 is at most 3 bytes per UTF-16 unit) are checked. @default 131072 */
const MEMORY_BYTES = 2 * 65536;

/*
 * The module, assembled by hand from:
 *   (module
 *     (memory (export "m") 2)
 *     (func (export "f") (param $n i32) (result i32) (local $i i32)
 *       (v128.store (local.get $n) (v128.const i8x16 0x20 …))     ;; pad the tail with spaces
 *       (block $done (loop $next
 *         (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
 *         (if (v128.any_true (i8x16.lt_u (v128.load (local.get $i)) (v128.const i8x16 0x20 …)))
 *           (then (return (i32.const 1))))
 *         (local.set $i (i32.add (local.get $i) (i32.const 16)))
 *         (br $next)))
 *       (i32.const 0)))
 */
const SPACES = new Array<number>(16).fill(0x20);
const BODY = [
  0x01, 0x01, 0x7f, // one local: i32
  0x20, 0x00, 0xfd, 0x0c, ...SPACES, 0xfd, 0x0b, 0x00, 0x00, // local.get n; v128.const; v128.store align=1
  0x02, 0x40, 0x03, 0x40, // block, loop
  0x20, 0x01, 0x20, 0x00, 0x4f, 0x0d, 0x01, // br_if done (i >= n)
  0x20, 0x01, 0xfd, 0x00, 0x00, 0x00, 0xfd, 0x0c, ...SPACES, 0xfd, 0x26, 0xfd, 0x53, // any_true(lt_u(load i, spaces))
  0x04, 0x40, 0x41, 0x01, 0x0f, 0x0b, // if: return 1
  0x20, 0x01, 0x41, 0x10, 0x6a, 0x21, 0x01, 0x0c, 0x00, // i += 16; br next
  0x0b, 0x0b, 0x41, 0x00, 0x0b, // end loop, end block, return 0
];
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // types: (i32) → i32
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x05, 0x03, 0x01, 0x00, MEMORY_BYTES / 65536, // memory: min pages
  0x07, 0x09, 0x02, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x66, 0x00, 0x00, // exports: "m" memory 0, "f" function 0
  0x0a, BODY.length + 2, 0x01, BODY.length, ...BODY, // code
]);

interface Scanner {
  bytes: Uint8Array;
  anyBelowSpace: (n: number) => number;
}

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { m?: { buffer: ArrayBuffer }; f?: (n: number) => number } };
}

function load(): Scanner | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (wasm === undefined) return null;
    const { m, f } = new wasm.Instance(new wasm.Module(MODULE)).exports;
    return m === undefined || f === undefined ? null : { bytes: new Uint8Array(m.buffer), anyBelowSpace: f };
  } catch {
    // no WebAssembly SIMD here: every text is a "maybe"
    return null;
  }
}

/** Instantiated on first use (undefined until then): a process that never checks a text does not carry WebAssembly (~1.2 MB RSS). */
let scanner: Scanner | null | undefined;
const encoder = new TextEncoder();
/** Texts longer than this are not checked here. */
const MAX_CHARS = Math.floor((MEMORY_BYTES - 16) / 3);

/**
 * False when `text` surely holds no control character (U+0000–U+001F); true when it does or may
 * (no WebAssembly SIMD, or longer than a third of {@link MEMORY_BYTES}).
 */
export function mayHoldControl(text: string): boolean {
  if (text.length > MAX_CHARS) return true;
  const s = scanner === undefined ? (scanner = load()) : scanner;
  if (s === null) return true;
  return s.anyBelowSpace(encoder.encodeInto(text, s.bytes).written) !== 0;
}
