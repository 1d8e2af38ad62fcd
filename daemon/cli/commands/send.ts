/** `m2m send`: send one message to `agent@node` through the local daemon. */
import { readFileSync } from 'node:fs';
import { connectAgent } from '../../client/connect-agent.js';
import { isM2MError } from '../../../protocol/errors.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, err, out, parseCommandArgs } from '../command.js';

export const help = `Usage: m2m send [options] TO [BODY | -]

Sends BODY to TO (agent@node, or a local agent name) through the daemon's agent
socket and prints the daemon's ack as JSON: {"status":"delivered|sent|queued",
"msgId":…,"verdict":…}. BODY is parsed as JSON when it is valid JSON, else sent
as a string; "-" or no BODY reads stdin.
Exit 0 on ack; 1 on an error reply (BLOCKED, QUEUE_FULL, UNKNOWN_PEER, …),
printed to stderr with the verdict when there is one.

Options:
      --socket PATH  agent socket (default: $XDG_RUNTIME_DIR/m2m/agent.sock)
      --as NAME      agent name to register (default: cli-<pid>)
      --id ID        client message id`;

export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { socket: { type: 'string' }, as: { type: 'string' }, id: { type: 'string' } });
  const [to, bodyArg] = positionals;
  if (!to) throw new UsageError('missing TO (agent@node)');
  const text = bodyArg === undefined || bodyArg === '-' ? readFileSync(0, 'utf8') : bodyArg;
  const client = await connectAgent({ agent: (values.as as string | undefined) ?? `cli-${process.pid}`, path: values.socket as string | undefined });
  try {
    const ack = await client.send(to, parseBody(text), values.id !== undefined ? { id: values.id as string } : {});
    out(JSON.stringify({ status: ack.status, msgId: ack.msgId, verdict: ack.verdict }));
    return EXIT_OK;
  } catch (e) {
    if (!isM2MError(e)) throw e;
    err(JSON.stringify({ error: e.message, code: e.code, ...(e.details?.verdict ? { verdict: e.details.verdict } : {}) }));
    return EXIT_BAD_INPUT;
  } finally {
    await client.close();
  }
}
