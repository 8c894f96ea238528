import { call, SignedOut } from './api';
import { barChart, columnChart } from './charts';
import { Context } from './context';
import { el, replace } from './dom';
import { formatDuration, formatInstant } from './model';

const REFRESH_MS = 3_000;
/** A replica that has not reported for this long is shown as stale (it reports every second or so). */
const STALE_MS = 10_000;

interface Replica {
  nodeId: string;
  version: string;
  startedAt: number;
  uptimeMs: number;
  cacheEntries: number;
  busState: string;
  lastMessageAt: number | null;
  lastMessageAgeMs: number | null;
  reportedAt: number;
  database?: { healthy: boolean; latencyMs: number | null };
  propagationLag?: { boundsMs: number[]; counts: number[]; count: number };
}

interface ClusterView {
  node: Replica & { bus: { state: string } };
  registry: 'available' | 'unavailable';
  replicas: Replica[];
}

interface ProbeResult {
  probeId: string;
  sentAt: number;
  replicas: { nodeId: string; latencyMs: number; heardAfterMs: number }[];
  missing: string[];
}

/** The lag chart's bars, at least (up to 7.5 ms with the default buckets). */
const MIN_LAG_BARS = 6;

const HEALTHY_BUS = new Set(['subscribed', 'embedded']);

function lagChart(replica: Replica): Element {
  const lag = replica.propagationLag;
  if (lag === undefined) return el('p', { class: 'hint' }, 'This replica does not report its lag.');
  const all = lag.counts.map((count, index) => {
    const bound = lag.boundsMs[index];
    const name = bound === undefined ? `>${lag.boundsMs.at(-1) ?? 0}` : `≤${bound}`;
    return {
      label: name,
      value: count,
      title: `${count} change${count === 1 ? '' : 's'} in ${name} ms`,
    };
  });
  // The slow buckets are drawn only up to the slowest change seen, so the labels stay legible.
  const lastUsed = all.reduce((last, bar, index) => (bar.value > 0 ? index : last), -1);
  const bars = all.slice(0, Math.max(MIN_LAG_BARS, lastUsed + 2));
  return el(
    'figure',
    { class: 'lag' },
    columnChart(bars, `Propagation lag of ${replica.nodeId}: ${lag.count} changes received`),
    el(
      'figcaption',
      {},
      `Propagation lag (ms), ${lag.count} change${lag.count === 1 ? '' : 's'} received`,
    ),
  );
}

/** The cluster screen: who is live and how healthy, refreshed by itself, and the propagation probe. */
export class ClusterScreen {
  private timer: number | null = null;
  /** Every replica seen since the screen opened, so that one that vanishes is named as missing. */
  private readonly seen = new Map<string, number>();
  private readonly status = el('div', { class: 'cluster-status' });
  private readonly warnings = el('div', { class: 'warnings', role: 'alert' });
  private readonly grid = el('div', { class: 'replicas' });
  private readonly probeResult = el('div', { class: 'probe-result', 'aria-live': 'polite' });

  constructor(private readonly context: Context) {}

  open(): void {
    const probe = el(
      'button',
      { type: 'button', class: 'primary', id: 'probe' },
      'Probe propagation',
    );
    probe.addEventListener('click', () => void this.probe(probe));
    replace(
      this.context.main,
      el(
        'section',
        { class: 'cluster', 'aria-labelledby': 'cluster-title' },
        el(
          'div',
          { class: 'toolbar' },
          el('h2', { id: 'cluster-title' }, 'Cluster'),
          this.status,
          probe,
        ),
        this.warnings,
        this.grid,
        el('h3', {}, 'Propagation probe'),
        el(
          'p',
          { class: 'hint' },
          'Sends a message on the bus; each replica answers it. Bars: time until each answer arrived back here.',
        ),
        this.probeResult,
      ),
    );
    void this.refresh();
    this.timer = window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  close(): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    let view: ClusterView;
    try {
      view = await call<ClusterView>('GET', '/api/system/cluster');
    } catch (error) {
      if (error instanceof SignedOut) return this.close();
      replace(
        this.warnings,
        el('p', { class: 'warning' }, `The cluster endpoint did not answer: ${String(error)}`),
      );
      return;
    }
    const now = Date.now();
    for (const replica of view.replicas) this.seen.set(replica.nodeId, now);
    replace(
      this.status,
      `${view.replicas.length} replica${view.replicas.length === 1 ? '' : 's'} live · answered by ${view.node.nodeId} · ${formatInstant(now)}`,
    );
    replace(
      this.warnings,
      ...this.warningsOf(view, now).map((text) => el('p', { class: 'warning' }, text)),
    );
    replace(
      this.grid,
      ...view.replicas.map((replica) => this.card(replica, view.node.nodeId, now)),
    );
  }

  private warningsOf(view: ClusterView, now: number): string[] {
    const warnings: string[] = [];
    if (view.registry === 'unavailable')
      warnings.push(
        `The bus registry is unavailable from ${view.node.nodeId}: Redis is down or unreachable; only this replica is shown.`,
      );
    if (!HEALTHY_BUS.has(view.node.bus.state))
      warnings.push(
        `Bus down on ${view.node.nodeId} (state ${view.node.bus.state}): changes reach it only by TTL.`,
      );
    const live = new Set(view.replicas.map((replica) => replica.nodeId));
    for (const [nodeId, lastSeen] of this.seen)
      if (!live.has(nodeId))
        warnings.push(
          `Replica ${nodeId} is missing: last seen ${formatDuration(now - lastSeen)} ago.`,
        );
    for (const replica of view.replicas) {
      if (!HEALTHY_BUS.has(replica.busState))
        warnings.push(`Bus down on ${replica.nodeId} (state ${replica.busState}).`);
      if (replica.database && !replica.database.healthy)
        warnings.push(`Database unreachable from ${replica.nodeId}.`);
      if (now - replica.reportedAt > STALE_MS)
        warnings.push(
          `Replica ${replica.nodeId} has not reported for ${formatDuration(now - replica.reportedAt)}.`,
        );
    }
    return warnings;
  }

  private card(replica: Replica, answering: string, now: number): Element {
    const busOk = HEALTHY_BUS.has(replica.busState);
    const dbOk = replica.database?.healthy ?? true;
    const facts: [string, string, boolean][] = [
      ['Age', formatDuration(replica.uptimeMs), true],
      [
        'Database',
        replica.database === undefined
          ? 'unknown'
          : replica.database.healthy
            ? `up (${replica.database.latencyMs ?? '?'} ms)`
            : 'DOWN',
        dbOk,
      ],
      ['Bus', replica.busState, busOk],
      ['Cache entries', String(replica.cacheEntries), true],
      [
        'Last bus message',
        replica.lastMessageAgeMs === null
          ? 'none yet'
          : `${formatDuration(replica.lastMessageAgeMs)} ago`,
        true,
      ],
      [
        'Last report',
        `${formatDuration(Math.max(0, now - replica.reportedAt))} ago`,
        now - replica.reportedAt <= STALE_MS,
      ],
      ['Version', replica.version, true],
    ];
    return el(
      'article',
      { class: `replica${busOk && dbOk ? '' : ' unhealthy'}`, 'data-node-id': replica.nodeId },
      el(
        'h3',
        {},
        replica.nodeId,
        replica.nodeId === answering ? el('span', { class: 'tag' }, 'answering') : null,
      ),
      el(
        'dl',
        {},
        ...facts.flatMap(([term, value, ok]) => [
          el('dt', {}, term),
          el('dd', { class: ok ? '' : 'bad' }, value),
        ]),
      ),
      lagChart(replica),
    );
  }

  private async probe(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    replace(this.probeResult, el('p', {}, 'Probing…'));
    try {
      const result = await call<ProbeResult>('POST', '/api/system/cluster/probe');
      const bars = result.replicas.map((replica) => ({
        label: replica.nodeId,
        value: replica.latencyMs,
        title: `${replica.nodeId}: answer back after ${replica.latencyMs} ms (heard it after ${replica.heardAfterMs} ms)`,
      }));
      replace(
        this.probeResult,
        el(
          'p',
          { class: 'probe-summary' },
          `Probe ${result.probeId} at ${formatInstant(result.sentAt)}: ${result.replicas.length} answered.`,
        ),
        bars.length > 0 ? barChart(bars, 'Answer time per replica', 'ms') : null,
        ...result.missing.map((nodeId) =>
          el('p', { class: 'warning' }, `No answer from ${nodeId}.`),
        ),
      );
    } catch (error) {
      if (!(error instanceof SignedOut))
        replace(this.probeResult, el('p', { class: 'warning' }, `Probe failed: ${String(error)}`));
    } finally {
      button.disabled = false;
    }
  }
}
