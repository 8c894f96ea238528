// Load drivers: each an autocannon in its own process on core 1 (bench/driver.mjs).
import { join } from 'node:path';
import { pinned, ROOT, startChild } from './proc.mjs';

const DRIVER = join(ROOT, 'bench', 'driver.mjs');

export function startDriver(name) {
  const [command, args] = pinned(1, process.execPath, [DRIVER]);
  const proc = startChild(name, command, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  proc.child.on('message', (message) => {
    if (message?.type !== 'result') return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(`${name}: ${message.error}`));
    else waiter.resolve(message.result);
  });
  void proc.exited.then((code) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`${name} exited (${code}): ${proc.output()}`));
    }
    pending.clear();
  });
  return {
    ...proc,
    /** Runs one autocannon load; resolves its summary when it ends. */
    run(spec) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        proc.child.send({ type: 'run', id, spec });
      });
    },
    /** Ends the load under way (its `run` then resolves with what it measured). */
    stopLoad() {
      proc.child.send({ type: 'stop' });
    },
  };
}
