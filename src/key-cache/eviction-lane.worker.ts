import Redis from 'ioredis';
import { parentPort, workerData } from 'node:worker_threads';
import { decode } from './bus.codec';
import { preciseNow } from './clock';
import { EvictionRing, isKeyEventType } from './eviction-ring';
import type { EvictionLaneData } from './eviction-lane';
import { redisOptions } from './redis.options';

// The eviction lane's thread: its own subscription to the changes channel, and nothing
// else to do, so a message is read as soon as it arrives whatever the main thread is busy with.
const data = workerData as EvictionLaneData;
const ring = new EvictionRing(data.buffer, data.slots);
const redis = new Redis({
  ...redisOptions(data.connection, data.nodeId, 'lane'),
  autoResubscribe: false,
});

// The replica's bus publishes a heartbeat every interval: a lane that stops hearing its
// own replica's beats has a silent subscription (a half-open connection), and reconnects.
let lastBeatAt = Date.now();
const { heartbeatMs } = data;
if (heartbeatMs !== null) {
  setInterval(() => {
    if (ring.subscribed() && Date.now() - lastBeatAt > 2 * heartbeatMs) {
      ring.setSubscribed(false);
      redis.disconnect(true);
    }
  }, heartbeatMs);
}

redis.on('ready', () => {
  redis.subscribe(data.channel).then(
    () => {
      lastBeatAt = Date.now();
      ring.setSubscribed(true);
    },
    () => redis.disconnect(true),
  );
});
redis.on('close', () => ring.setSubscribed(false));
redis.on('error', () => undefined);
redis.on('message', (_channel: string, raw: string) => {
  const heardAt = preciseNow();
  const message = decode(raw);
  if (message?.kind === 'beat' && message.origin === data.nodeId) lastBeatAt = Date.now();
  if (message?.kind !== 'change' || message.origin === data.nodeId) return;
  const { event } = message;
  if (isKeyEventType(event.type) && 'digest' in event)
    ring.write(event.type, event.digest, message.sentAt, heardAt);
});
parentPort?.on('message', (command) => {
  if (command !== 'stop') return;
  ring.setSubscribed(false);
  redis.disconnect();
  parentPort?.close();
  process.exit(0);
});
redis.connect().catch(() => undefined);
