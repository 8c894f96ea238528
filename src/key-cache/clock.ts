/**
 * Epoch milliseconds with a fraction: the propagation measure spans a millisecond or two,
 * which `Date.now()` would round away. Each process fixes its time origin when it starts,
 * so the measure between two processes is only as good as their clocks agree: on one host
 * to well under a millisecond unless the clock was stepped between their starts; across
 * hosts, to whatever NTP keeps them within.
 */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
