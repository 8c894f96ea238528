import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EvictionLane } from './eviction-lane';

describe('EvictionLane (its worker’s life; the lane itself is tested with Redis in test/cluster)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-lane-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('does not start without a worker file, and says it is stopped', () => {
    const lane = new EvictionLane({
      connection: { url: 'redis://127.0.0.1:1', tlsCaFile: null },
      channel: 'c',
      nodeId: 'n',
      workerFile: join(dir, 'missing.js'),
    });
    expect(lane.start()).toBe(false);
    expect(lane.state()).toBe('stopped');
    expect(lane.claim('digest', 1)).toBe(false);
  });

  it('starts a worker that exits again after a second, until stopped', async () => {
    // A worker that notes each start in a file (passed as the URL) and exits at once.
    const worker = join(dir, 'exits.js');
    const starts = join(dir, 'starts');
    writeFileSync(
      worker,
      "const { workerData } = require('node:worker_threads');\n" +
        "require('node:fs').appendFileSync(workerData.connection.url, 'x');\n",
    );
    const lane = new EvictionLane({
      connection: { url: starts, tlsCaFile: null },
      channel: 'c',
      nodeId: 'n',
      workerFile: worker,
    });
    expect(lane.start()).toBe(true);
    await sleep(2_600);
    const seen = readFileSync(starts, 'utf8').length;
    expect(seen).toBeGreaterThanOrEqual(2);
    await lane.stop();
    await sleep(1_300);
    expect(readFileSync(starts, 'utf8').length).toBeLessThanOrEqual(seen + 1);
    expect(lane.state()).toBe('stopped');
  });
});
