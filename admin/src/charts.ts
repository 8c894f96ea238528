import { svg } from './dom';

export interface Bar {
  label: string;
  value: number;
  /** What the bar's tooltip and accessible name say. */
  title: string;
}

/** Vertical bars (a histogram); labels under the bars. Plain SVG, text as text nodes. */
export function columnChart(bars: Bar[], caption: string): SVGSVGElement {
  const width = 320;
  const height = 110;
  const chartHeight = 80;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const step = width / Math.max(1, bars.length);
  return svg(
    'svg',
    {
      class: 'chart columns',
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': caption,
    },
    svg('title', {}, caption),
    svg('line', { x1: 0, y1: chartHeight, x2: width, y2: chartHeight, class: 'axis' }),
    ...bars.flatMap((bar, index) => {
      const barHeight = (bar.value / max) * (chartHeight - 12);
      const x = index * step + 2;
      return [
        svg(
          'rect',
          {
            x,
            y: chartHeight - barHeight,
            width: Math.max(1, step - 4),
            height: barHeight,
            class: 'bar',
          },
          svg('title', {}, bar.title),
        ),
        bar.value > 0
          ? svg(
              'text',
              {
                x: x + (step - 4) / 2,
                y: chartHeight - barHeight - 2,
                class: 'value',
                'text-anchor': 'middle',
              },
              String(bar.value),
            )
          : null,
        svg(
          'text',
          { x: x + (step - 4) / 2, y: chartHeight + 12, class: 'label', 'text-anchor': 'middle' },
          bar.label,
        ),
      ];
    }),
  );
}

/** Horizontal bars, one per row (answer times); the label left, the value right. */
export function barChart(bars: Bar[], caption: string, unit: string): SVGSVGElement {
  const rowHeight = 22;
  const labelWidth = 150;
  const width = 480;
  const barSpace = width - labelWidth - 70;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return svg(
    'svg',
    {
      class: 'chart bars',
      viewBox: `0 0 ${width} ${bars.length * rowHeight + 4}`,
      role: 'img',
      'aria-label': caption,
    },
    svg('title', {}, caption),
    ...bars.flatMap((bar, index) => {
      const y = index * rowHeight + 2;
      const barWidth = Math.max(2, (bar.value / max) * barSpace);
      return [
        svg(
          'text',
          { x: labelWidth - 6, y: y + 14, class: 'label', 'text-anchor': 'end' },
          bar.label,
        ),
        svg(
          'rect',
          { x: labelWidth, y: y + 3, width: barWidth, height: rowHeight - 8, class: 'bar' },
          svg('title', {}, bar.title),
        ),
        svg(
          'text',
          { x: labelWidth + barWidth + 6, y: y + 14, class: 'value' },
          `${bar.value} ${unit}`,
        ),
      ];
    }),
  );
}
