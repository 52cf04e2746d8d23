/**
 * Horizontal bar charts as plain geometry: numbers in, rectangles, lines and text positions out,
 * for `views/console/bar-chart.eta` to draw as SVG on the server (no script, no client library).
 * Horizontal bars with each group's label above its bars fit a 390 px phone whatever the labels'
 * length. Every bar carries its value as text, so nothing is told by colour alone.
 */

export interface BarInput {
  /** Index into the chart's series (0 when there is one): picks the bar's class. */
  series: number;
  /** null: nothing to draw (no sample); `text` still says why. */
  value: number | null;
  /** The value as a reader says it, drawn after the bar: "4:12", "MTTA 3 min". */
  text: string;
  /** Drawn in the warning style (e.g. past the target line); its text should say so too. */
  flagged?: boolean;
}

export interface BarChartInput {
  groups: ReadonlyArray<{ label: string; bars: readonly BarInput[] }>;
  /** A vertical reference line, such as the 5-minute target. */
  marker?: { value: number; label: string };
  /** The drawing's width in SVG units; it scales down with the page. */
  width?: number;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  series: number;
  flagged: boolean;
  text: string;
  textX: number;
  textY: number;
}

export interface BarChart {
  width: number;
  height: number;
  labels: Array<{ text: string; x: number; y: number }>;
  bars: Bar[];
  marker: { x: number; y1: number; y2: number; label: string; labelX: number; labelY: number; anchor: 'start' | 'end' } | null;
}

export const CHART = {
  width: 360,
  /** Room kept right of the longest bar for its value's text. */
  textRoom: 130,
  top: 8,
  markerLabel: 16,
  label: 18,
  bar: 16,
  gap: 4,
  groupGap: 10,
  textPad: 4,
} as const;

/**
 * Lays out the bars: the scale runs from 0 to the largest value (or the marker, if larger), so
 * the longest bar — or the marker — reaches the plot's right edge. Negative values draw as 0.
 */
export function barChart(input: BarChartInput): BarChart {
  const width = input.width ?? CHART.width;
  const plot = Math.max(1, width - CHART.textRoom);
  const values = input.groups.flatMap((g) => g.bars.map((b) => b.value ?? 0));
  const max = Math.max(0, ...values, input.marker?.value ?? 0);
  const scale = (v: number) => (max === 0 ? 0 : (Math.max(0, v) / max) * plot);

  let y = CHART.top + (input.marker ? CHART.markerLabel : 0);
  const plotTop = y;
  const labels: BarChart['labels'] = [];
  const bars: Bar[] = [];
  for (const group of input.groups) {
    labels.push({ text: group.label, x: 0, y: y + CHART.label - 5 });
    y += CHART.label;
    for (const bar of group.bars) {
      const w = scale(bar.value ?? 0);
      bars.push({
        x: 0,
        y,
        width: round(w),
        height: CHART.bar,
        series: bar.series,
        flagged: bar.flagged ?? false,
        text: bar.text,
        textX: round(w + CHART.textPad),
        textY: y + CHART.bar - 4,
      });
      y += CHART.bar + CHART.gap;
    }
    y += CHART.groupGap;
  }
  const height = Math.max(y, plotTop + CHART.label);
  let marker: BarChart['marker'] = null;
  if (input.marker) {
    const x = round(scale(input.marker.value));
    // Its label reads leftwards from the line when the line is past the middle, so it stays inside.
    const anchor = x > width / 2 ? 'end' : 'start';
    marker = { x, y1: plotTop - 2, y2: height - CHART.groupGap, label: input.marker.label, labelX: anchor === 'end' ? x - 3 : x + 3, labelY: CHART.top + 10, anchor };
  }
  return { width, height, labels, bars, marker };
}

const round = (n: number) => Math.round(n * 10) / 10;
