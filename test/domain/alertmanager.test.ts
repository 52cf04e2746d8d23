import { describe, expect, it } from 'vitest';
import {
  alertChanges,
  alertTitle,
  componentStatusFor,
  DEFAULT_SEVERITY_MAP,
  describeAlert,
  detectedAt,
  parseSeverityMap,
  severityFor,
  type AlertLike,
} from '../../src/domain/alertmanager.js';

const alert = (over: Partial<AlertLike> = {}): AlertLike => ({
  status: 'firing',
  labels: { alertname: 'HighErrorRate', severity: 'critical' },
  annotations: {},
  startsAt: '2026-11-24T09:58:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph?g0.expr=x',
  fingerprint: 'a1b2c3d4e5f60718',
  ...over,
});

describe('parseSeverityMap', () => {
  it('reads label:severity pairs, label values in lower case', () => {
    expect(parseSeverityMap('critical:P1, Warning:p2,info:P3')).toEqual({ critical: 'P1', warning: 'P2', info: 'P3' });
    expect(parseSeverityMap('')).toEqual({});
    expect(parseSeverityMap('page : P0,')).toEqual({ page: 'P0' });
  });

  it.each(['critical', 'critical:P4', 'critical:high', ':P1', 'a:b:P1'])('refuses %s', (text) => {
    expect(() => parseSeverityMap(text)).toThrow();
  });
});

describe('severityFor', () => {
  const map = DEFAULT_SEVERITY_MAP;
  it('takes P0–P3 as themselves, in any case', () => {
    expect(severityFor(['P0'], map, 'P2')).toBe('P0');
    expect(severityFor(['p3'], map, 'P2')).toBe('P3');
  });
  it('maps through the map, case-insensitively, else the fallback', () => {
    expect(severityFor(['critical'], map, 'P2')).toBe('P1');
    expect(severityFor(['WARNING'], map, 'P3')).toBe('P2');
    expect(severityFor(['info'], map, 'P2')).toBe('P3');
    expect(severityFor(['page'], map, 'P2')).toBe('P2');
    expect(severityFor([undefined], map, 'P1')).toBe('P1');
    expect(severityFor([], map, 'P2')).toBe('P2');
    expect(severityFor(['constructor'], map, 'P2')).toBe('P2');
  });
  it('takes the most severe of several alerts', () => {
    expect(severityFor(['info', 'critical', 'warning'], map, 'P2')).toBe('P1');
    expect(severityFor(['info', 'P0'], map, 'P2')).toBe('P0');
  });
});

describe('componentStatusFor', () => {
  it('grows with severity', () => {
    expect(['P0', 'P1', 'P2', 'P3'].map((s) => componentStatusFor(s as 'P0'))).toEqual([
      'major_outage',
      'partial_outage',
      'degraded_performance',
      'degraded_performance',
    ]);
  });
});

describe('alertTitle', () => {
  const none = { labels: {}, annotations: {} };
  it('prefers a summary annotation, then the group summary, then alertname', () => {
    expect(alertTitle([alert(), alert({ annotations: { summary: 'API 5xx above 5%' } })], none)).toBe('API 5xx above 5%');
    expect(alertTitle([alert()], { labels: {}, annotations: { summary: 'Group summary' } })).toBe('Group summary');
    expect(alertTitle([alert()], none)).toBe('HighErrorRate');
    expect(alertTitle([alert({ labels: {} })], { labels: { alertname: 'Common' }, annotations: {} })).toBe('Common');
    expect(alertTitle([alert({ labels: {}, annotations: { summary: '  ' } })], none)).toBe('Alert firing');
  });
  it('is cut to 200 characters', () => {
    const title = alertTitle([alert({ annotations: { summary: 'x'.repeat(500) } })], none);
    expect(title).toHaveLength(200);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('detectedAt', () => {
  const now = new Date('2026-11-24T10:00:00Z');
  it('is the earliest startsAt of the firing alerts, whatever its offset', () => {
    const at = detectedAt(
      [
        alert({ startsAt: '2026-11-24T09:58:00.123456789Z' }),
        alert({ startsAt: '2026-11-24T10:55:00+01:00' }),
        alert({ status: 'resolved', startsAt: '2026-11-24T08:00:00Z' }),
      ],
      now,
    );
    expect(at.toISOString()).toBe('2026-11-24T09:55:00.000Z');
  });
  it('is never in the future', () => {
    expect(detectedAt([alert({ startsAt: '2026-11-24T10:03:00Z' })], now)).toEqual(now);
  });
  it("ignores Go's zero time and other pre-epoch starts (unset, not ancient)", () => {
    expect(detectedAt([alert({ startsAt: '0001-01-01T00:00:00Z' })], now)).toEqual(now);
    expect(detectedAt([alert({ startsAt: '1969-12-31T23:59:59Z' }), alert({ startsAt: '2026-11-24T09:50:00Z' })], now).toISOString()).toBe(
      '2026-11-24T09:50:00.000Z',
    );
  });
});

describe('alertChanges', () => {
  it('finds newly firing and resolved alerts against what fired before', () => {
    const changes = alertChanges(
      ['aaa', 'bbb'],
      [alert({ fingerprint: 'aaa' }), alert({ fingerprint: 'bbb', status: 'resolved' }), alert({ fingerprint: 'ccc' })],
    );
    expect(changes.newlyFiring.map((a) => a.fingerprint)).toEqual(['ccc']);
    expect(changes.resolved.map((a) => a.fingerprint)).toEqual(['bbb']);
    expect(changes.firing).toEqual(['aaa', 'ccc']);
  });
  it('an identical repeat changes nothing', () => {
    const changes = alertChanges(['aaa'], [alert({ fingerprint: 'aaa' })]);
    expect(changes).toEqual({ newlyFiring: [], resolved: [], firing: ['aaa'] });
  });
});

describe('describeAlert', () => {
  it('names the alert, its labels in order, its annotations and its source', () => {
    const line = describeAlert(
      alert({ labels: { alertname: 'HighErrorRate', job: 'api', instance: 'api-1:9100' }, annotations: { summary: 'S', description: 'D' } }),
    );
    expect(line).toBe('- HighErrorRate {instance="api-1:9100", job="api"} — since 2026-11-24T09:58:00Z — S — D — http://prometheus:9090/graph?g0.expr=x');
  });
});
