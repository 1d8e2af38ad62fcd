/**
 * The WSP 99 compact prompt messages (seed `004`) as typed data: the mission
 * envelope, the worker's status report and the 9-key compact form. The
 * `*_SCHEMA` constants drive {@link validate} in `validate.ts`.
 */

export type ActionVerb = 'ANALYZE' | 'CREATE' | 'DELETE' | 'ENHANCE' | 'FIX' | 'IMPLEMENT' | 'MIGRATE' | 'REFACTOR' | 'TEST' | 'VALIDATE';
export const ACTION_VERBS: readonly ActionVerb[] = Object.freeze(['ANALYZE', 'CREATE', 'DELETE', 'ENHANCE', 'FIX', 'IMPLEMENT', 'MIGRATE', 'REFACTOR', 'TEST', 'VALIDATE']);

export type StatusCode = 'OK' | 'FAIL' | 'BLOCKED' | 'PENDING' | 'SKIP';
export const STATUS_CODES: readonly StatusCode[] = Object.freeze(['OK', 'FAIL', 'BLOCKED', 'PENDING', 'SKIP']);

export type Lane = 'A' | 'B' | 'C' | 'QA' | 'SENTINEL' | 'ORCH';
export const LANES: readonly Lane[] = Object.freeze(['A', 'B', 'C', 'QA', 'SENTINEL', 'ORCH']);

export type Mode = 'exec' | 'plan' | 'qa';
export const MODES: readonly Mode[] = Object.freeze(['exec', 'plan', 'qa']);

export const ENVELOPE_VERSION = '1.0';
export const COMPACT_SCHEMA_ID = '0102_m2m_v1';

/** Shared header of envelopes and status reports. */
export interface EnvelopeHeader {
  M2M_VERSION: string | number;
  SENDER?: string;
  RECEIVER?: string;
  /** ISO 8601 timestamp. */
  TS?: string;
}

/** Mission envelope (seed §2.1). `ROLE`, `RULES`, `ABORT` are our documented extensions. */
export interface Envelope extends EnvelopeHeader {
  MISSION: {
    /** Single-line imperative, ideally starting with an {@link ActionVerb}. */
    OBJ: string;
    SCOPE?: { in?: string[]; out?: string[] };
    WSP?: number[];
    /** Persona the receiver takes on ("act as …"). */
    ROLE?: string;
    /** Constraints and instructions, telegraphic. `NO …` marks a prohibition. */
    RULES?: string[];
    /** Abort conditions (compact `F`). */
    ABORT?: string[];
    /** Other `k: v` invariants of a compact form's `I`. */
    INVARIANTS?: Record<string, unknown>;
    [ext: string]: unknown;
  };
  CTX?: { FILES?: string[]; DEPS?: string[]; BLOCKERS?: string[]; CODE?: string[]; [ext: string]: unknown };
  EXEC?: { LANE?: string; SKILLS?: string[]; ARTIFACTS?: string[]; TIMEOUT?: number; [ext: string]: unknown };
  VALID?: { COHERENCE?: number; TESTS?: boolean; WSP_CHECK?: boolean; [ext: string]: unknown };
  [ext: string]: unknown;
}

/** Worker → orchestrator status report (seed §3.2). */
export interface StatusReport extends EnvelopeHeader {
  STATUS: StatusCode;
  ARTIFACTS?: { path: string; action?: string; lines?: number[] }[];
  METRICS?: { TOKENS?: number; DURATION?: string | number; TESTS?: string; [ext: string]: unknown };
  COHERENCE?: number;
  [ext: string]: unknown;
}

/** The 9-key compact form (seed §0). */
export interface CompactPrompt {
  schema?: typeof COMPACT_SCHEMA_ID;
  L: Lane;
  S: string;
  M: Mode;
  T?: string;
  R?: number[];
  I?: Record<string, unknown>;
  O?: string[];
  F?: string[];
  [ext: string]: unknown;
}

/** A node of the declarative schema. */
export type Spec =
  | { kind: 'string'; enum?: readonly string[]; pattern?: RegExp; hint?: string }
  | { kind: 'number'; min?: number; max?: number; integer?: boolean }
  | { kind: 'boolean' }
  | { kind: 'version' }
  | { kind: 'any' }
  | { kind: 'list'; of: Spec }
  | { kind: 'union'; of: readonly Spec[] }
  | { kind: 'object'; fields: Record<string, Field>; extensions: 'upper' | 'any' | 'none' };

export interface Field {
  spec: Spec;
  required?: boolean;
}

const str: Spec = { kind: 'string' };
const strList: Spec = { kind: 'list', of: str };
const intList: Spec = { kind: 'list', of: { kind: 'number', integer: true, min: 0 } };
const ISO8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const HEADER: Record<string, Field> = {
  M2M_VERSION: { spec: { kind: 'version' }, required: true },
  SENDER: { spec: str },
  RECEIVER: { spec: str },
  TS: { spec: { kind: 'string', pattern: ISO8601, hint: 'an ISO 8601 timestamp like 2026-02-12T10:30:00Z' } },
};

export const ENVELOPE_SCHEMA: Spec = {
  kind: 'object',
  extensions: 'upper',
  fields: {
    ...HEADER,
    MISSION: {
      required: true,
      spec: {
        kind: 'object',
        extensions: 'upper',
        fields: {
          OBJ: { spec: str, required: true },
          SCOPE: { spec: { kind: 'object', extensions: 'none', fields: { in: { spec: strList }, out: { spec: strList } } } },
          WSP: { spec: intList },
          ROLE: { spec: str },
          RULES: { spec: strList },
          ABORT: { spec: strList },
          INVARIANTS: { spec: { kind: 'object', extensions: 'any', fields: {} } },
        },
      },
    },
    CTX: { spec: { kind: 'object', extensions: 'upper', fields: { FILES: { spec: strList }, DEPS: { spec: strList }, BLOCKERS: { spec: strList }, CODE: { spec: strList } } } },
    EXEC: {
      spec: {
        kind: 'object',
        extensions: 'upper',
        fields: {
          LANE: { spec: { kind: 'string', enum: LANES } },
          SKILLS: { spec: strList },
          ARTIFACTS: { spec: strList },
          TIMEOUT: { spec: { kind: 'number', min: 0 } },
        },
      },
    },
    VALID: {
      spec: {
        kind: 'object',
        extensions: 'upper',
        fields: { COHERENCE: { spec: { kind: 'number', min: 0, max: 1 } }, TESTS: { spec: { kind: 'boolean' } }, WSP_CHECK: { spec: { kind: 'boolean' } } },
      },
    },
  },
};

export const STATUS_SCHEMA: Spec = {
  kind: 'object',
  extensions: 'upper',
  fields: {
    ...HEADER,
    STATUS: { spec: { kind: 'string', enum: STATUS_CODES }, required: true },
    ARTIFACTS: {
      spec: {
        kind: 'list',
        of: {
          kind: 'object',
          extensions: 'any',
          fields: { path: { spec: str, required: true }, action: { spec: str }, lines: { spec: intList } },
        },
      },
    },
    METRICS: {
      spec: {
        kind: 'object',
        extensions: 'upper',
        fields: {
          TOKENS: { spec: { kind: 'number', integer: true, min: 0 } },
          DURATION: { spec: { kind: 'union', of: [str, { kind: 'number', min: 0 }] } },
          TESTS: { spec: { kind: 'string', pattern: /^\d+\/\d+$/, hint: 'passed/total like 12/12' } },
        },
      },
    },
    COHERENCE: { spec: { kind: 'number', min: 0, max: 1 } },
  },
};

export const COMPACT_SCHEMA: Spec = {
  kind: 'object',
  extensions: 'any',
  fields: {
    schema: { spec: { kind: 'string', enum: [COMPACT_SCHEMA_ID] } },
    L: { spec: { kind: 'string', enum: LANES }, required: true },
    S: { spec: str, required: true },
    M: { spec: { kind: 'string', enum: MODES }, required: true },
    T: { spec: str },
    R: { spec: intList },
    I: { spec: { kind: 'object', extensions: 'any', fields: {} } },
    O: { spec: strList },
    F: { spec: strList },
  },
};
