import { describe, expect, it } from 'vitest';
import { draftSeverityFor, isDegraded, nextPollDelayMs, readVendorStatus, summaryUrl, type VendorSummary } from '../../src/domain/vendor-status.js';
import { COMPONENT_STATUSES } from '../../src/domain/vocabulary.js';

const summary = (indicator: string, components: VendorSummary['components'] = []): VendorSummary => ({
  page: { name: 'Acme Cloud' },
  status: { indicator },
  components,
});

describe('readVendorStatus', () => {
  it("maps Statuspage's page indicator onto our component statuses", () => {
    const read = (indicator: string) => readVendorStatus(summary(indicator), null);
    expect(read('none')).toEqual({ ok: true, status: 'operational', name: 'Acme Cloud' });
    expect(read('minor')).toMatchObject({ status: 'degraded_performance' });
    expect(read('major')).toMatchObject({ status: 'partial_outage' });
    expect(read('critical')).toMatchObject({ status: 'major_outage' });
    expect(read('maintenance')).toMatchObject({ status: 'under_maintenance' });
  });

  it("takes a followed component's status name for name", () => {
    for (const status of COMPONENT_STATUSES) {
      const reading = readVendorStatus(summary('none', [{ id: 'abc', name: 'API', status }]), 'abc');
      expect(reading).toEqual({ ok: true, status, name: 'Acme Cloud: API' });
    }
  });

  it('fails, rather than guesses, on a value outside the vocabulary or a missing component', () => {
    expect(readVendorStatus(summary('catastrophic'), null)).toEqual({ ok: false, reason: 'the page indicator "catastrophic" is not one of Statuspage\'s' });
    expect(readVendorStatus(summary('none', [{ id: 'abc', name: 'API', status: 'on_fire' }]), 'abc').ok).toBe(false);
    expect(readVendorStatus(summary('none', [{ id: 'abc', name: 'API', status: 'operational' }]), 'xyz')).toEqual({
      ok: false,
      reason: 'the page lists no component "xyz"',
    });
    expect(readVendorStatus({ page: { name: 'P' }, status: { indicator: 'none' } }, 'abc').ok).toBe(false);
    // Inherited names are not statuses.
    expect(readVendorStatus(summary('toString'), null).ok).toBe(false);
  });
});

describe('summaryUrl', () => {
  it("adds Statuspage's summary path to a page's root", () => {
    expect(summaryUrl('https://status.example.com')).toBe('https://status.example.com/api/v2/summary.json');
    expect(summaryUrl('https://status.example.com/')).toBe('https://status.example.com/api/v2/summary.json');
    expect(summaryUrl(' https://example.com/status/ ')).toBe('https://example.com/status/api/v2/summary.json');
  });

  it('keeps an address that is already a summary, without its fragment', () => {
    expect(summaryUrl('https://status.example.com/api/v2/summary.json')).toBe('https://status.example.com/api/v2/summary.json');
    expect(summaryUrl('http://127.0.0.1:8080/api/v2/summary.json#x')).toBe('http://127.0.0.1:8080/api/v2/summary.json');
  });

  it('throws on what is not a URL', () => {
    expect(() => summaryUrl('status.example.com')).toThrow(TypeError);
  });
});

describe('nextPollDelayMs', () => {
  const schedule = { intervalMs: 60_000, maxBackoffMs: 30 * 60_000 };

  it('waits the interval after a good answer and after the first failure, then doubles up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 30].map((failures) => nextPollDelayMs(failures, schedule) / 60_000)).toEqual([1, 1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('never waits less than the interval, whatever the cap', () => {
    expect(nextPollDelayMs(5, { intervalMs: 3_600_000, maxBackoffMs: 60_000 })).toBe(3_600_000);
  });
});

describe('drafts', () => {
  it('opens for trouble, not for working or planned maintenance', () => {
    expect(COMPONENT_STATUSES.filter(isDegraded)).toEqual(['degraded_performance', 'partial_outage', 'major_outage']);
  });

  it('takes a severity one step below what an alert setting the same status would', () => {
    expect(['degraded_performance', 'partial_outage', 'major_outage'].map((s) => draftSeverityFor(s as never))).toEqual(['P3', 'P2', 'P1']);
  });
});
