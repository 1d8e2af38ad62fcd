/**
 * Child process of `m2m bench e2e`: the receiving agent runs in its own
 * process, as real agents do, so the sender and the checks do not share a core
 * with it. It reports arrivals to the parent over IPC in batches:
 * `{ a: [id, epochMs, intact(0|1), …], dup }`. Ids from COUNT on are the warm-up's.
 * argv: SOCKET CORPUS|'' COUNT WARMUP
 */
import { connectAgent } from '../../client/connect-agent.js';
import { corpusBodies, syntheticBodies, warmupBodies } from './bench-e2e-run.js';

async function receive(): Promise<void> {
  const [socket, corpus, countText, warmupText] = process.argv.slice(2);
  const count = Number(countText);
  const jsons = (corpus ? corpusBodies(corpus) : syntheticBodies(count)).map((b) => JSON.stringify(b));
  const warm = warmupBodies(Number(warmupText ?? 0)).map((b) => JSON.stringify(b));
  // Raw bodies: each arrives as the JSON text alice's client wrote, so intact means byte for byte.
  const bob = await connectAgent({ agent: 'bob', path: socket, dedupe: false, rawBodies: true });
  const seen = new Uint8Array(count + warm.length);
  let batch: number[] = [];
  let dup = 0;
  bob.on('message', (m) => {
    const i = m.id as number;
    if (seen[i]) {
      dup++;
      return;
    }
    seen[i] = 1;
    const want = i < count ? jsons[i % jsons.length] : warm[i - count];
    batch.push(i, performance.timeOrigin + performance.now(), m.bodyJson === want ? 1 : 0);
  });
  setInterval(() => {
    if (batch.length === 0 && dup === 0) return;
    process.send!({ a: batch, dup });
    batch = [];
    dup = 0;
  }, 20);
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: true });
}

if (process.send) {
  receive().catch((e) => {
    process.stderr.write(`bench receiver: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
