/** Agent addresses: `agent@node`, or a bare `agent` for the local node. */
import { M2MError } from '../../protocol/errors.js';
import { NAME_RE } from '../agent-api/messages.js';

export interface Address {
  agent: string;
  node: string;
}

/**
 * Parse `agent@node` (a bare `agent` means `localNode`).
 * @throws M2MError BAD_ADDRESS
 */
export function parseAddress(text: string, localNode: string): Address {
  const at = text.indexOf('@');
  const agent = at === -1 ? text : text.slice(0, at);
  const node = at === -1 ? localNode : text.slice(at + 1);
  if (!NAME_RE.test(agent) || !NAME_RE.test(node)) {
    throw new M2MError('BAD_ADDRESS', `bad address ${JSON.stringify(text.slice(0, 200))}: expected agent@node (letters, digits, . _ -)`);
  }
  return { agent, node };
}

export function formatAddress(a: Address): string {
  return `${a.agent}@${a.node}`;
}
