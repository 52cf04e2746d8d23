import { describe, expect, it } from 'vitest';
import type { PostmortemView } from '../../../src/modules/postmortems/index.js';
import type { ResponseReportView } from '../../../src/modules/reports/index.js';
import { composerWithTemplate, rolePickers, stageTemplates } from '../../../src/surfaces/console/incident-model.js';
import { formValues, putInput, valuesOf, withEmptyRow, WHY_FIELDS } from '../../../src/surfaces/console/postmortem-form.js';
import { reportModel, reportRange } from '../../../src/surfaces/console/reports-model.js';

describe('the incident view’s models', () => {
  it('offers the templates of the next stage first, in their own order', () => {
    const t = (name: string, status: string) => ({ name, status });
    const { forStage, others } = stageTemplates([t('a', 'investigating'), t('b', 'identified'), t('c', 'monitoring'), t('d', 'identified')], 'identified');
    expect(forStage.map((x) => x.name)).toEqual(['b', 'd']);
    expect(others.map((x) => x.name)).toEqual(['a', 'c']);
  });

  it('fills the composer from a template: its components over the chosen ones, a stage the incident passed kept', () => {
    const values = { template: '', status: 'monitoring', message: 'typed', components: { a: 'major_outage', b: 'degraded_performance' }, notify: true };
    const template = { id: 't1', status: 'identified', message: 'From the template', componentStatuses: { a: 'partial_outage' } };
    expect(composerWithTemplate(values, template, 'monitoring')).toEqual({
      template: 't1',
      status: 'monitoring',
      message: 'From the template',
      components: { a: 'partial_outage', b: 'degraded_performance' },
      notify: true,
    });
    expect(composerWithTemplate(values, template, 'investigating').status).toBe('identified');
  });

  it('shows a role held by a deleted user as nobody', () => {
    const pickers = rolePickers({ commander: 'u1', techLead: 'gone', commsLead: null, scribe: null }, [{ id: 'u1', name: 'Ann' }]);
    expect(pickers.map((p) => [p.label, p.chosen])).toEqual([
      ['Incident commander', 'u1'],
      ['Technical lead', ''],
      ['Communications lead', ''],
      ['Scribe', ''],
    ]);
  });
});

const view: PostmortemView = {
  incidentId: '00000000-0000-4000-8000-000000000001',
  saved: false,
  summary: '',
  timeline: [{ at: '2026-12-07T10:00:00.000Z', text: 'investigating: First', source: 'update', internal: false }],
  timelinePrefilled: true,
  rootCause: '',
  whys: [],
  contributingFactors: ['One', 'Two'],
  actionItems: [{ title: 'Fix', owner: null, dueDate: '2030-01-01', done: false, overdue: false }],
  publishedAt: null,
  version: 0,
  updatedBy: null,
  createdAt: null,
  updatedAt: null,
};

describe('the postmortem form', () => {
  it('shows five whys, the factors a line each, and an empty action item to write in', () => {
    const values = formValues(view);
    expect(values.whys).toEqual(Array(WHY_FIELDS).fill(''));
    expect(values.contributingFactors).toBe('One\nTwo');
    expect(values.actionItems).toEqual([
      { title: 'Fix', owner: '', dueDate: '2030-01-01', done: false },
      { title: '', owner: '', dueDate: '', done: false },
    ]);
    expect(withEmptyRow(values, 'timeline').timeline).toHaveLength(2);
  });

  it('reads the numbered rows back, a checkbox with its row, within the API’s limits', () => {
    const values = valuesOf({
      summary: 'S',
      timelineRows: '2',
      'timeline-0-at': 'a',
      'timeline-0-text': 'x',
      'timeline-1-internal': 'on',
      actionRows: '100000',
      'action-0-title': 'Fix',
      'action-0-done': 'on',
    });
    expect(values.timeline.map((e) => e.internal)).toEqual([false, true]);
    expect(values.actionItems).toHaveLength(100);
    expect(values.actionItems[0]).toEqual({ title: 'Fix', owner: '', dueDate: '', done: true });
    expect(values.whys).toHaveLength(WHY_FIELDS);
  });

  it('sends the API what was written: empty rows and lines dropped, unknown sources as the author’s', () => {
    const values = {
      ...formValues(view),
      whys: ['Because', ' ', '', '', ''],
      contributingFactors: 'One\r\n\n  Two  ',
      timeline: [
        { at: '2026-12-07T10:00:00Z', text: 'kept', source: 'forged', internal: false },
        { at: '', text: '  ', source: 'update', internal: false },
      ],
    };
    expect(putInput(values)).toEqual({
      summary: '',
      rootCause: '',
      whys: ['Because'],
      contributingFactors: ['One', 'Two'],
      timeline: [{ at: '2026-12-07T10:00:00Z', text: 'kept', source: 'author', internal: false }],
      actionItems: [{ title: 'Fix', owner: null, dueDate: '2030-01-01', done: false }],
    });
  });
});

describe('the response report screen', () => {
  const now = new Date('2026-12-07T15:00:00Z');

  it('defaults to the 30 days up to today, and counts the last day whole', () => {
    expect(reportRange({}, now)).toMatchObject({ from: '2026-11-08', to: '2026-12-07', query: { from: '2026-11-08T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' } });
  });

  it('refuses a day that does not exist and a range that runs backwards', () => {
    expect(reportRange({ from: '2026-02-30', to: '2026-03-01' }, now).errors).toHaveProperty('from');
    expect(reportRange({ from: '2026-03-02', to: '2026-03-01' }, now).errors).toHaveProperty('to');
    expect(reportRange({ from: '2026-03-02', to: '2026-03-01' }, now).query).toBeNull();
  });

  it('draws each incident’s first update against the target, saying which were late', () => {
    const row = {
      count: 0,
      mttd: { meanSeconds: null, samples: 0 },
      mtta: { meanSeconds: 120, samples: 1 },
      unacknowledged: 0,
      mttm: { meanSeconds: null, samples: 0 },
      mttr: { meanSeconds: 3600, samples: 1 },
      firstUpdate: { p50Seconds: null, p90Seconds: null, maxSeconds: null, withinTarget: 0, withinTargetShare: null, measured: 0 },
      overdueUpdates: { count: 0, totalSeconds: 0, maxSeconds: 0 },
      postmortemsOverdue: 0,
    };
    const report: ResponseReportView = {
      from: '2026-11-08T00:00:00.000Z',
      to: '2026-12-08T00:00:00.000Z',
      basis: 'detectedAt',
      targets: { firstUpdateSeconds: 300 },
      overall: row,
      bySeverity: { P0: row, P1: row, P2: row, P3: row },
      incidents: [
        { id: 'a', title: 'On time', severity: 'P1', detectedAt: '2026-12-01T00:00:00.000Z', firstUpdateSeconds: 299 },
        { id: 'b', title: 'Late', severity: 'P2', detectedAt: '2026-12-02T00:00:00.000Z', firstUpdateSeconds: 301 },
        { id: 'c', title: 'Silent', severity: 'P3', detectedAt: '2026-12-03T00:00:00.000Z', firstUpdateSeconds: null },
      ],
    };
    const [first, means, overdue] = reportModel(report).charts;
    expect(first!.rows).toEqual([
      ['On time', 'P1', '4:59'],
      ['Late', 'P2', '5:01 (late)'],
      ['Silent', 'P3', 'no public update yet'],
    ]);
    expect(first!.chart.bars.map((b) => b.flagged)).toEqual([false, true, false]);
    expect(first!.chart.marker?.label).toBe('5-minute target');
    expect(first!.desc).toBe('3 incidents; 1 past the 5-minute target.');
    expect(means!.rows[0]).toEqual(['P0', '2 min', 'none', '1 h']);
    expect(means!.chart.bars).toHaveLength(12);
    expect(overdue!.rows[0]).toEqual(['P0', '0', 'none']);
  });
});
