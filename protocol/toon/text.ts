/**
 * Text-level TOON: rewrites keys and string values inside JSON *text* and
 * leaves every other byte (numbers like `1.0`, whitespace, escapes) exactly
 * as written, so `decodeText(encodeText(j)) === j` for any valid JSON text.
 * Strings written with escapes are never abbreviated (only escaped when
 * needed), which keeps the round trip byte-exact.
 */
import { M2MError } from '../errors.js';
import type { Limits } from '../limits.js';
import type { ToonMapping } from './mappings.js';
import { TOON_ESCAPE, TOON_MAX_KEY_CODE_LENGTH } from './tables.js';

const WS = /[ \t\n\r]*/y;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** How a string lexeme is rewritten: `role` says whether it is an object key. */
type Rewrite = (lexeme: string, role: 'key' | 'value') => string;

function invalid(pos: number, what: string): M2MError {
  return new M2MError('TOON_INVALID_FORMAT', `invalid JSON at offset ${pos}: ${what}`);
}

/** Walk JSON text, validating it, and rewrite every string lexeme. */
function transform(text: string, rewrite: Rewrite, limits: Pick<Limits, 'maxJsonDepth'>): string {
  const out: string[] = [];
  const stack: ('{' | '[')[] = [];
  let pos = 0;
  let last = 0;
  const skipWs = (): void => {
    WS.lastIndex = pos;
    WS.exec(text);
    pos = WS.lastIndex;
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return undefined;
    pos = re.lastIndex;
    return m[0];
  };
  const string = (role: 'key' | 'value'): void => {
    const start = pos;
    const lex = match(STRING);
    if (lex === undefined) throw invalid(start, 'bad string');
    const rewritten = rewrite(lex, role);
    if (rewritten !== lex) {
      out.push(text.slice(last, start), rewritten);
      last = pos;
    }
  };
  const value = (): void => {
    skipWs();
    const c = text[pos];
    if (c === '"') return string('value');
    if (c === '{' || c === '[') {
      if (stack.length >= limits.maxJsonDepth) throw new M2MError('TOO_DEEP', `JSON nesting deeper than ${limits.maxJsonDepth}`);
      stack.push(c);
      pos++;
      skipWs();
      const close = c === '{' ? '}' : ']';
      if (text[pos] === close) {
        pos++;
        stack.pop();
        return;
      }
      for (;;) {
        if (c === '{') {
          skipWs();
          if (text[pos] !== '"') throw invalid(pos, 'expected a key');
          string('key');
          skipWs();
          if (text[pos] !== ':') throw invalid(pos, "expected ':'");
          pos++;
        }
        value();
        skipWs();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === close) {
          pos++;
          stack.pop();
          return;
        }
        throw invalid(pos, `expected ',' or '${close}'`);
      }
    }
    if (match(NUMBER) !== undefined || match(LITERAL) !== undefined) return;
    throw invalid(pos, pos >= text.length ? 'unexpected end' : `unexpected '${text[pos]}'`);
  };
  value();
  skipWs();
  if (pos !== text.length) throw invalid(pos, 'trailing characters');
  out.push(text.slice(last));
  return out.join('');
}

function canonical(lex: string, value: string): boolean {
  return JSON.stringify(value) === lex;
}

/** Encode JSON text. `values` = also abbreviate string values (standard and up). */
export function encodeJsonText(text: string, m: ToonMapping, values: boolean, limits: Pick<Limits, 'maxJsonDepth'>): string {
  return transform(
    text,
    (lex, role) => {
      const v = JSON.parse(lex) as string;
      if (role === 'key') {
        const code = canonical(lex, v) ? m.keyToCode.get(v) : undefined;
        if (code !== undefined) return JSON.stringify(code);
        return v.startsWith(TOON_ESCAPE) || v.length <= TOON_MAX_KEY_CODE_LENGTH || m.codeToKey.has(v) ? `"${TOON_ESCAPE}${lex.slice(1)}` : lex;
      }
      const code = values && canonical(lex, v) ? m.valueToCode.get(v) : undefined;
      if (code !== undefined) return JSON.stringify(code);
      return v.startsWith(TOON_ESCAPE) || m.codeToValue.has(v) ? `"${TOON_ESCAPE}${lex.slice(1)}` : lex;
    },
    limits,
  );
}

/** Decode TOON text back to the exact original JSON text. */
export function decodeJsonText(text: string, m: ToonMapping, strict: boolean, limits: Pick<Limits, 'maxJsonDepth'>): string {
  return transform(
    text,
    (lex, role) => {
      if (lex.startsWith(`"${TOON_ESCAPE}`)) return `"${lex.slice(2)}`;
      const v = JSON.parse(lex) as string;
      if (v.startsWith(TOON_ESCAPE)) return JSON.stringify(v.slice(1)); // `\u007e…` from a foreign encoder
      if (role === 'key') {
        const orig = m.codeToKey.get(v);
        if (orig !== undefined) return JSON.stringify(orig);
        if (strict && v.length <= TOON_MAX_KEY_CODE_LENGTH) {
          throw new M2MError('TOON_UNKNOWN_KEY', `unknown TOON key code '${v}' (strict mode; missing custom mapping?)`, { key: v });
        }
        return lex;
      }
      const orig = m.codeToValue.get(v);
      return orig !== undefined ? JSON.stringify(orig) : lex;
    },
    limits,
  );
}
