import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { digestKey } from '../../src/auth/key-digest';
import { encode } from '../../src/key-cache/bus.codec';
import { preciseNow } from '../../src/key-cache/clock';
import { EvictionLane } from '../../src/key-cache/eviction-lane';
import { KeyEventType } from '../../src/key-cache/eviction-ring';
import { randomKey } from '../support/app';
import { REDIS_URL } from '../support/cluster';
import { describeCluster } from '../support/cluster-gate';

jest.setTimeout(30_000);

/** The worker as `npm run build` compiles it (the cluster suite builds first). */
const WORKER = join(__dirname, '..', '..', 'dist', 'key-cache', 'eviction-lane.worker.js');

function change(origin: string, type: KeyEventType, digest: string, sentAt = preciseNow()): string {
  return encode({ kind: 'change', event: { type, keyId: 'id', digest }, seq: 1, sentAt, origin });
}

/** Spins without yielding until the lane has evicted something, or 5 s have passed. */
function spinUntilEvicted(lane: EvictionLane, evicted: string[]): void {
  const started = performance.now();
  while (evicted.length === 0 && performance.now() - started < 5_000) lane.drain();
}

/** The client ids of a lane's Redis connections (a new id: it reconnected). */
async function laneClientIds(redis: Redis, nodeId: string): Promise<string[]> {
  return String(await redis.client('LIST'))
    .split('\n')
    .filter((line) => line.includes(`name=portcullis:${nodeId}:lane`))
    .map((line) => /(?:^| )id=(\d+)/.exec(line)?.[1] ?? '?');
}

describeCluster('the eviction lane (a worker thread with its own Redis subscription)', () => {
  const channel = `pclane-${randomBytes(4).toString('hex')}:changes`;
  let lane: EvictionLane;
  let publisher: Redis;
  const evicted: string[] = [];
  const timed: [KeyEventType, number][] = [];
  let lost = 0;

  beforeAll(async () => {
    lane = new EvictionLane({
      connection: { url: REDIS_URL, tlsCaFile: null },
      channel,
      nodeId: 'this-replica',
      workerFile: WORKER,
    });
    lane.attach({
      evict: (digest) => evicted.push(digest),
      lost: () => lost++,
      observeLag: (type, milliseconds) => timed.push([type, milliseconds]),
    });
    expect(lane.start()).toBe(true);
    const started = Date.now();
    while (lane.state() !== 'subscribed' && Date.now() - started < 10_000) await sleep(20);
    expect(lane.state()).toBe('subscribed');
    publisher = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await lane?.stop();
    publisher?.disconnect();
  });

  it('applies another replica’s change while the main thread never yields to its event loop', async () => {
    const own = digestKey(randomKey());
    const revoked = digestKey(randomKey());
    // Redis answers a PUBLISH once it has handed the message to every subscriber.
    await publisher.publish(channel, change('this-replica', 'key.deleted', own));
    await publisher.publish(channel, change('another-replica', 'key.deleted', revoked));

    // From here on the main thread spins: only the lane's thread can deliver the change.
    spinUntilEvicted(lane, evicted);

    expect(evicted).toEqual([revoked]);
    expect(timed).toHaveLength(1);
    expect(timed[0][0]).toBe('key.deleted');
    expect(timed[0][1]).toBeGreaterThanOrEqual(0);
    expect(timed[0][1]).toBeLessThan(5_000);
    expect(lost).toBe(0);
  });

  it('ignores what is not a key change', async () => {
    evicted.length = 0;
    await publisher.publish(channel, 'not json');
    await publisher.publish(
      channel,
      encode({
        kind: 'change',
        event: { type: 'tenant.changed', tenantId: 't' },
        seq: 2,
        sentAt: 1,
        origin: 'x',
      }),
    );
    const updated = digestKey(randomKey());
    await publisher.publish(channel, change('another-replica', 'key.updated', updated));
    spinUntilEvicted(lane, evicted);
    expect(evicted).toEqual([updated]);
  });

  it('times each change once, by whichever path applied it first', async () => {
    // The lane first: the bus's delivery of the same change is claimed, not timed again.
    evicted.length = 0;
    timed.length = 0;
    const first = digestKey(randomKey());
    const sentAt = preciseNow();
    await publisher.publish(channel, change('another-replica', 'key.deleted', first, sentAt));
    spinUntilEvicted(lane, evicted);
    expect(timed).toHaveLength(1);
    expect(lane.claim(first, sentAt)).toBe(true);
    expect(lane.claim(first, sentAt)).toBe(false);

    // The bus first: the caller times it, and the lane's copy is applied untimed.
    evicted.length = 0;
    const second = digestKey(randomKey());
    const laterSentAt = preciseNow();
    expect(lane.claim(second, laterSentAt)).toBe(false);
    await publisher.publish(channel, change('another-replica', 'key.deleted', second, laterSentAt));
    spinUntilEvicted(lane, evicted);
    expect(evicted).toEqual([second]);
    expect(timed).toHaveLength(1);
  });

  it('stops on request, its Redis connection with it', async () => {
    const laneConnections = async () => (await laneClientIds(publisher, 'this-replica')).length;
    expect(await laneConnections()).toBe(1);
    await lane.stop();
    expect(lane.state()).toBe('stopped');
    expect(lane.claim(digestKey(randomKey()), 1)).toBe(false);
    const started = Date.now();
    while ((await laneConnections()) > 0 && Date.now() - started < 5_000) await sleep(50);
    expect(await laneConnections()).toBe(0);
  });

  it('reconnects when it stops hearing its replica’s heartbeat, and not while it hears it', async () => {
    const nodeId = `beating-${randomBytes(3).toString('hex')}`;
    const beating = new EvictionLane({
      connection: { url: REDIS_URL, tlsCaFile: null },
      channel,
      nodeId,
      heartbeatMs: 200,
      workerFile: WORKER,
    });
    expect(beating.start()).toBe(true);
    try {
      const started = Date.now();
      while (beating.state() !== 'subscribed' && Date.now() - started < 10_000) await sleep(20);
      const beat = () =>
        publisher.publish(channel, encode({ kind: 'beat', origin: nodeId, sentAt: Date.now() }));
      const first = await laneClientIds(publisher, nodeId);
      expect(first).toHaveLength(1);
      for (let i = 0; i < 10; i++) {
        await beat();
        await sleep(100);
      }
      expect(await laneClientIds(publisher, nodeId)).toEqual(first);
      // Silence: within a few intervals the lane drops its connection and makes a new one.
      await sleep(1_500);
      const after = await laneClientIds(publisher, nodeId);
      expect(after).toHaveLength(1);
      expect(after).not.toEqual(first);
    } finally {
      await beating.stop();
    }
  });
});
