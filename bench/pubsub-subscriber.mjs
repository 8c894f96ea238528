// One subscriber of the bare Redis pub/sub measurement (bench/lib/pubsub.mjs): prints
// "ready", then for every message the milliseconds since its send instant (same host clock).
import Redis from 'ioredis';

const [url, channel] = process.argv.slice(2);
const redis = new Redis(url, { lazyConnect: true });
await redis.connect();
redis.on('message', (_channel, message) => {
  const lag = performance.timeOrigin + performance.now() - Number(message);
  process.stdout.write(`${lag}\n`);
});
await redis.subscribe(channel);
process.stdout.write('ready\n');
const stop = () => void redis.quit().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
