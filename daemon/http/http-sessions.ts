/**
 * Sessions opened through `POST /message` HELLO. Bounded, expired lazily on access
 * and swept when full (no timers, so nothing keeps the process alive).
 */
import { randomUUID } from 'node:crypto';

export interface HttpSession {
  readonly id: string;
  /** The agent name DATA is sent from: `http.<HELLO agent_id>`, or `http.<session id prefix>`. */
  readonly agent: string;
  readonly algorithms: readonly string[];
  lastSeen: number;
  messages: number;
}

/** Most HTTP sessions held at once. @default 10,000 */
export const MAX_HTTP_SESSIONS = 10_000;

export class HttpSessionTable {
  private readonly sessions = new Map<string, HttpSession>();

  /**
   * @param idleMs sessions idle longer than this expire (0 = never)
   * @param now clock (tests pass a fake)
   */
  constructor(
    private idleMs: number,
    private readonly max = MAX_HTTP_SESSIONS,
    private readonly now: () => number = Date.now,
  ) {}

  setIdle(ms: number): void {
    this.idleMs = ms;
  }

  /** A new session, or undefined when the table is full of live sessions. */
  create(agent: string | undefined, algorithms: readonly string[]): HttpSession | undefined {
    if (this.sessions.size >= this.max) this.sweep();
    if (this.sessions.size >= this.max) return undefined;
    const id = randomUUID();
    const s: HttpSession = { id, agent: agent ?? `http.${id.slice(0, 8)}`, algorithms, lastSeen: this.now(), messages: 0 };
    this.sessions.set(id, s);
    return s;
  }

  /** The live session with this id (touching it), or undefined. */
  get(id: string): HttpSession | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (this.expired(s)) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = this.now();
    return s;
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  get size(): number {
    this.sweep();
    return this.sessions.size;
  }

  private expired(s: HttpSession): boolean {
    return this.idleMs > 0 && this.now() - s.lastSeen > this.idleMs;
  }

  private sweep(): void {
    for (const [id, s] of this.sessions) if (this.expired(s)) this.sessions.delete(id);
  }
}
