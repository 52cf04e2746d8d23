import { describe, expect, it } from 'vitest';
import { barChart, CHART } from '../../../src/surfaces/console/charts.js';

const plot = CHART.width - CHART.textRoom;

describe('barChart geometry', () => {
  it('scales the longest bar to the plot’s right edge and the others in proportion', () => {
    const chart = barChart({
      groups: [
        { label: 'A', bars: [{ series: 0, value: 100, text: '100' }] },
        { label: 'B', bars: [{ series: 0, value: 50, text: '50' }] },
      ],
    });
    expect(chart.bars.map((b) => b.width)).toEqual([plot, plot / 2]);
    expect(chart.bars[1]!.textX).toBe(plot / 2 + CHART.textPad);
    expect(chart.width).toBe(CHART.width);
    expect(chart.marker).toBeNull();
  });

  it('puts each group’s label above its bars, the groups one under the other', () => {
    const chart = barChart({
      groups: [
        { label: 'P0', bars: [{ series: 0, value: 1, text: 'a' }, { series: 1, value: 2, text: 'b' }, { series: 2, value: 3, text: 'c' }] },
        { label: 'P1', bars: [{ series: 0, value: 1, text: 'd' }] },
      ],
    });
    const [p0, p1] = chart.labels;
    const bars = chart.bars;
    expect(bars.map((b) => b.series)).toEqual([0, 1, 2, 0]);
    expect(p0!.y).toBeLessThan(bars[0]!.y);
    for (let i = 1; i < 3; i += 1) expect(bars[i]!.y).toBe(bars[i - 1]!.y + CHART.bar + CHART.gap);
    expect(p1!.y).toBeGreaterThan(bars[2]!.y + CHART.bar);
    expect(p1!.y).toBeLessThan(bars[3]!.y);
    expect(chart.height).toBeGreaterThanOrEqual(bars[3]!.y + CHART.bar);
  });

  it('scales to the marker when it is past every bar, and draws it across the bars', () => {
    const chart = barChart({ groups: [{ label: 'Fast', bars: [{ series: 0, value: 150, text: '2:30' }] }], marker: { value: 300, label: '5-minute target' } });
    expect(chart.bars[0]!.width).toBe(plot / 2);
    expect(chart.marker).toMatchObject({ x: plot, label: '5-minute target', anchor: 'end' });
    expect(chart.marker!.y1).toBeLessThan(chart.bars[0]!.y);
    expect(chart.marker!.y2).toBeGreaterThan(chart.bars[0]!.y + CHART.bar - 1);
    // Room is made above the bars for the marker's label.
    expect(chart.marker!.labelY).toBeLessThan(chart.labels[0]!.y);
  });

  it('keeps the marker where it falls when a bar is longer, its label reading rightwards near the start', () => {
    const chart = barChart({ groups: [{ label: 'Late', bars: [{ series: 0, value: 1200, text: '20 min (late)', flagged: true }] }], marker: { value: 300, label: 'target' } });
    expect(chart.bars[0]).toMatchObject({ width: plot, flagged: true });
    expect(chart.marker).toMatchObject({ x: plot / 4, anchor: 'start', labelX: plot / 4 + 3 });
  });

  it('draws no bar for a missing or negative value, all zeros without dividing by zero', () => {
    const chart = barChart({
      groups: [{ label: 'None', bars: [{ series: 0, value: null, text: 'no public update yet' }, { series: 0, value: -5, text: '-5' }, { series: 0, value: 0, text: '0' }] }],
    });
    expect(chart.bars.map((b) => b.width)).toEqual([0, 0, 0]);
    expect(chart.bars[0]!.text).toBe('no public update yet');
    expect(chart.bars.every((b) => Number.isFinite(b.textX))).toBe(true);
  });

  it('has a height even with no groups', () => {
    const chart = barChart({ groups: [], marker: { value: 300, label: 'target' } });
    expect(chart.bars).toEqual([]);
    expect(chart.height).toBeGreaterThan(0);
  });
});
