import { hash } from 'node:crypto';
import { EvictionRing, KeyEventType, LaneChange } from './eviction-ring';

const d = (name: string): string => hash('sha256', name, 'base64url');

/** A writer and a reader over one buffer, as the two threads hold them. */
function ring(slots = 8) {
  const buffer = new SharedArrayBuffer(EvictionRing.bytesFor(slots));
  return { writer: new EvictionRing(buffer, slots), reader: new EvictionRing(buffer, slots) };
}

/** Written with the lag as the send time, heard at 100 ms after the epoch. */
function write(writer: EvictionRing, type: KeyEventType, digest: string, lag: number): boolean {
  return writer.write(type, digest, 100 - lag, 100);
}

/** Each change drained, as [type, digest, lag]. */
function drained(reader: EvictionRing): { ok: boolean; seen: [KeyEventType, string, number][] } {
  const seen: [KeyEventType, string, number][] = [];
  const ok = reader.drain((change: LaneChange) =>
    seen.push([change.type, change.digest, change.heardAt - change.sentAt]),
  );
  return { ok, seen };
}

describe('EvictionRing', () => {
  it('hands the reader every change the writer wrote, once, oldest first', () => {
    const { writer, reader } = ring();
    expect(drained(reader)).toEqual({ ok: true, seen: [] });
    write(writer, 'key.deleted', d('a'), 1.5);
    write(writer, 'key.updated', d('b'), 0.25);
    expect(drained(reader)).toEqual({
      ok: true,
      seen: [
        ['key.deleted', d('a'), 1.5],
        ['key.updated', d('b'), 0.25],
      ],
    });
    write(writer, 'key.created', d('c'), 3);
    expect(drained(reader).seen).toEqual([['key.created', d('c'), 3]]);
    expect(drained(reader).seen).toEqual([]);
  });

  it('keeps going round the ring', () => {
    const { writer, reader } = ring(4);
    for (let round = 0; round < 5; round++) {
      const names = [0, 1, 2].map((i) => `${round}-${i}`);
      for (const name of names) write(writer, 'key.deleted', d(name), 1);
      expect(drained(reader).seen.map(([, digest]) => digest)).toEqual(names.map(d));
    }
  });

  it('never overwrites what the reader has not read: a full ring drops the change and says so', () => {
    const { writer, reader } = ring(4);
    for (let i = 0; i < 4; i++) write(writer, 'key.deleted', d(`${i}`), 1);
    expect(write(writer, 'key.deleted', d('no room'), 1)).toBe(true);
    const { ok, seen } = drained(reader);
    expect(ok).toBe(false);
    expect(seen.map(([, digest]) => digest)).toEqual([0, 1, 2, 3].map((i) => d(`${i}`)));
    write(writer, 'key.deleted', d('next'), 1);
    expect(drained(reader)).toEqual({ ok: true, seen: [['key.deleted', d('next'), 1]] });
  });

  it('trusts nothing when the counts are further apart than the ring holds', () => {
    const buffer = new SharedArrayBuffer(EvictionRing.bytesFor(4));
    new Uint32Array(buffer, 0, 1)[0] = 100;
    const reader = new EvictionRing(buffer, 4);
    expect(drained(reader)).toEqual({ ok: false, seen: [] });
    expect(drained(reader)).toEqual({ ok: true, seen: [] });
  });

  it('counts on past 2^32 changes', () => {
    const buffer = new SharedArrayBuffer(EvictionRing.bytesFor(4));
    new Uint32Array(buffer, 0, 2).fill(2 ** 32 - 2); // written and read
    const [writer, reader] = [new EvictionRing(buffer, 4), new EvictionRing(buffer, 4)];
    const names = ['a', 'b', 'c'];
    for (const name of names) write(writer, 'key.deleted', d(name), 1);
    expect(drained(reader)).toEqual({
      ok: true,
      seen: names.map((name) => ['key.deleted', d(name), 1]),
    });
  });

  it('refuses a digest that is not a base64url SHA-256, leaving it to the bus', () => {
    const { writer, reader } = ring();
    expect(write(writer, 'key.deleted', 'short', 1)).toBe(false);
    expect(write(writer, 'key.deleted', `${d('a')}=`, 1)).toBe(false);
    expect(write(writer, 'key.deleted', d('a').replace(/.$/, '+'), 1)).toBe(false);
    expect(drained(reader).seen).toEqual([]);
  });

  it('a reader created later goes on from where the last one stopped', () => {
    const { writer, reader } = ring();
    write(writer, 'key.deleted', d('read'), 1);
    drained(reader);
    write(writer, 'key.deleted', d('unread'), 1);
    const late = new EvictionRing(writer.buffer, writer.slots);
    expect(drained(late).seen.map(([, digest]) => digest)).toEqual([d('unread')]);
  });

  it('carries whether the writer is subscribed', () => {
    const { writer, reader } = ring();
    expect(reader.subscribed()).toBe(false);
    writer.setSubscribed(true);
    expect(reader.subscribed()).toBe(true);
  });

  it('wants a power-of-two slot count', () => {
    expect(() => new EvictionRing(new SharedArrayBuffer(EvictionRing.bytesFor(6)), 6)).toThrow();
  });
});
