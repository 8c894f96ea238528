// Child processes, CPU pinning, /proc readings and the clean-up that always runs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---------------------------------------------------------------- clean-up

const cleanups = [];
let cleaning = null;

/** Registers a clean-up step; steps run last-registered first, once, whatever happens. */
export function onCleanup(step) {
  cleanups.push(step);
  return () => {
    const index = cleanups.indexOf(step);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop();
      try {
        await Promise.race([step(), sleep(15_000)]);
      } catch (error) {
        console.error(`bench: clean-up step failed: ${String(error)}`);
      }
    }
  })();
  return cleaning;
}

/** Ctrl-C, SIGTERM, a crash: clean up, then exit. */
export function installExitHandlers() {
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signalled) return;
      signalled = true;
      console.error(`\nbench: ${signal}: stopping children and dropping bench databases…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  process.on('uncaughtException', (error) => {
    console.error(`bench: ${error?.stack ?? String(error)}`);
    void cleanup().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (error) => {
    console.error(`bench: ${error?.stack ?? String(error)}`);
    void cleanup().finally(() => process.exit(1));
  });
}

// ---------------------------------------------------------------- pinning

export const TASKSET =
  spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;

/** The command line that runs `command` on one core (or unpinned without taskset). */
export function pinned(core, command, args) {
  return TASKSET && core !== null
    ? ['taskset', ['-c', String(core), command, ...args]]
    : [command, args];
}

/** Moves this process (every thread) to one core, out of the servers' way. */
export function pinSelf(core) {
  if (!TASKSET) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- /proc

export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, every thread) a process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** The 1-, 5- and 15-minute load averages: how busy the shared machine was. */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return null;
  }
}

export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? null;
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
  let kernel = null;
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    /* not Linux */
  }
  return {
    cpuModel: model,
    cpuMHz: mhz === null ? null : Number(mhz),
    cores,
    memoryGiB: Math.round((memKb / 1024 / 1024) * 10) / 10,
    node: process.version,
    kernel,
    taskset: TASKSET,
    clockTicksPerSecond: CLK_TCK,
  };
}

// ---------------------------------------------------------------- children

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A child process that is always ended by clean-up. Keeps the last 8 kB of its
 * output for error messages.
 */
export function startChild(name, command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: options.stdio ?? ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  let stopped = false;
  const stop = async () => {
    if (stopped) return exited;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    return exited;
  };
  const unregister = onCleanup(stop);
  return {
    name,
    child,
    pid: child.pid,
    exited,
    output: () => tail,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      unregister();
      return stop();
    },
  };
}

/** Waits until `check` resolves true, polling; throws after `timeoutMs`. */
export async function waitFor(what, check, timeoutMs, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      if (error?.fatal) throw error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}
