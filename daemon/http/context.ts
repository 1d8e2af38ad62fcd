/** What every route handler gets. */
import type { DaemonConfig } from '../config/schema.js';
import type { HttpSessionTable } from './http-sessions.js';
import type { Reply } from './respond.js';
import type { HttpApiDeps } from './types.js';

export interface RouteContext {
  readonly deps: HttpApiDeps;
  /** The current config (replaced on reload). */
  config(): DaemonConfig;
  readonly sessions: HttpSessionTable;
  readonly startedAt: number;
  /** This server's agent id in reference capabilities. */
  readonly serverId: string;
  readonly version: string;
}

/** A route: `body` is the parsed JSON request (undefined for GET). */
export type Handler = (ctx: RouteContext, body: unknown) => Promise<Reply>;
