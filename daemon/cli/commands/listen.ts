/** `m2m listen`: register an agent name and print every message it receives. */
import { connectAgent } from '../../client/connect-agent.js';
import { EXIT_OK, UsageError, out, parseCommandArgs } from '../command.js';

export const help = `Usage: m2m listen [options] NAME

Registers NAME as an agent on the local daemon and prints every incoming message
as one JSON line: {"type":"msg","from":"alice@n1","to":"NAME@n2","id":…,"msgId":…,
"body":…,"verdict":{"safe":…,"blocked":…,"score":…,"threat":…,"threats":[…]}}.
Runs until interrupted (or --count messages arrived).

Options:
      --socket PATH  agent socket (default: $XDG_RUNTIME_DIR/m2m/agent.sock)
  -n, --count N      exit after N messages`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { socket: { type: 'string' }, count: { type: 'string', short: 'n' } });
  const name = positionals[0];
  if (!name) throw new UsageError('missing NAME');
  const count = values.count === undefined ? Infinity : Number(values.count);
  if (!(count > 0)) throw new UsageError('--count must be a positive number');
  const client = await connectAgent({ agent: name, path: values.socket as string | undefined });
  process.stderr.write(`listening as ${client.address}\n`);
  let seen = 0;
  const stop = () => void client.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for await (const m of client.messages()) {
    out(JSON.stringify(m));
    if (++seen >= count) break;
  }
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  await client.close();
  return EXIT_OK;
}
