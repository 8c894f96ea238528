// The floor under propagation: bare Redis pub/sub from the harness to three subscriber
// processes on core 0 (where the replicas run), measured in the same run. Each message
// carries its send instant; a "revocation" is done when two subscribers heard it (as two
// replicas must drop a key), so the per-revocation figure is the slower of two.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { REDIS_URL } from './cluster.mjs';
import { pinned, ROOT, startChild, waitFor } from './proc.mjs';
import { max, percentile } from './stats.mjs';

export async function bareRedisPubSub({ messages, log }) {
  const channel = `pcbench-pubsub-${randomBytes(4).toString('hex')}`;
  const lags = [[], [], []];
  const subscribers = [];
  for (let i = 0; i < 3; i++) {
    const [command, args] = pinned(0, process.execPath, [
      join(ROOT, 'bench', 'pubsub-subscriber.mjs'),
      REDIS_URL,
      channel,
    ]);
    const subscriber = startChild(`pub/sub subscriber ${i + 1}`, command, args);
    let ready = false;
    let pending = '';
    subscriber.child.stdout.on('data', (chunk) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (line === 'ready') ready = true;
        else if (line !== '') lags[i].push(Number(line));
      }
    });
    await waitFor(`pub/sub subscriber ${i + 1}`, () => ready, 15_000, 50);
    subscribers.push(subscriber);
  }
  const publisher = new Redis(REDIS_URL);
  try {
    log(`  cluster: bare Redis pub/sub, ${messages} messages to three subscribers…`);
    for (let n = 0; n < messages; n++) {
      await publisher.publish(channel, String(performance.timeOrigin + performance.now()));
      await sleep(20);
    }
    await waitFor('every message heard', () => lags.every((l) => l.length >= messages), 10_000, 50);
  } finally {
    publisher.disconnect();
    await Promise.all(subscribers.map((s) => s.stop()));
  }
  const all = lags.flat();
  const perRevocation = lags[0].map((lag, n) => Math.max(lag, lags[1][n]));
  const quantiles = (values) => ({
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: max(values),
  });
  return {
    messages,
    subscribers: 3,
    perDeliveryMs: quantiles(all),
    perRevocationMs: quantiles(perRevocation),
  };
}
