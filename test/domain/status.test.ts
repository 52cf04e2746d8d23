import { describe, it, expect } from 'vitest';
import {
  componentStatusLabel,
  impactOf,
  isWorse,
  overallStatus,
  pageStatus,
  worstStatus,
  type Indicator,
} from '../../src/domain/status.js';
import {
  COMPONENT_STATUSES,
  type ComponentStatus,
  type Impact,
  type Severity,
} from '../../src/domain/vocabulary.js';

describe('COMPONENT_STATUSES', () => {
  // Every roll-up compares by position in this list; reordering it silently changes the page.
  it('is ordered best to worst as the product contract says', () => {
    expect(COMPONENT_STATUSES).toEqual([
      'operational',
      'under_maintenance',
      'degraded_performance',
      'partial_outage',
      'major_outage',
    ]);
  });
});

/** Every unordered pair of statuses (same-same included) with the worse of the two. */
const PAIRS: Array<[ComponentStatus, ComponentStatus, ComponentStatus]> = [
  ['operational', 'operational', 'operational'],
  ['operational', 'under_maintenance', 'under_maintenance'],
  ['operational', 'degraded_performance', 'degraded_performance'],
  ['operational', 'partial_outage', 'partial_outage'],
  ['operational', 'major_outage', 'major_outage'],
  ['under_maintenance', 'under_maintenance', 'under_maintenance'],
  ['under_maintenance', 'degraded_performance', 'degraded_performance'],
  ['under_maintenance', 'partial_outage', 'partial_outage'],
  ['under_maintenance', 'major_outage', 'major_outage'],
  ['degraded_performance', 'degraded_performance', 'degraded_performance'],
  ['degraded_performance', 'partial_outage', 'partial_outage'],
  ['degraded_performance', 'major_outage', 'major_outage'],
  ['partial_outage', 'partial_outage', 'partial_outage'],
  ['partial_outage', 'major_outage', 'major_outage'],
  ['major_outage', 'major_outage', 'major_outage'],
];

describe('worstStatus', () => {
  it('is operational for an empty list (nothing is broken)', () => {
    expect(worstStatus([])).toBe('operational');
  });

  it.each(COMPONENT_STATUSES.map((status) => [status]))('is the status itself for [%s]', (status) => {
    expect(worstStatus([status])).toBe(status);
  });

  it.each(PAIRS)('of %s and %s is %s', (a, b, worst) => {
    expect(worstStatus([a, b])).toBe(worst);
  });

  it.each(PAIRS)('of %s and %s is %s in the other order too', (a, b, worst) => {
    expect(worstStatus([b, a])).toBe(worst);
  });

  it('finds the worst anywhere in a longer list, duplicates included', () => {
    const statuses: ComponentStatus[] = [
      'operational',
      'partial_outage',
      'under_maintenance',
      'partial_outage',
      'degraded_performance',
    ];
    expect(worstStatus(statuses)).toBe('partial_outage');
    expect(worstStatus(['major_outage', 'operational', 'operational'])).toBe('major_outage');
  });

  it('accepts any iterable, not only arrays', () => {
    expect(worstStatus(new Set<ComponentStatus>(['degraded_performance', 'under_maintenance']))).toBe(
      'degraded_performance',
    );
    function* statuses(): Generator<ComponentStatus> {
      yield 'operational';
      yield 'major_outage';
    }
    expect(worstStatus(statuses())).toBe('major_outage');
  });
});

describe('isWorse', () => {
  it.each(PAIRS)('compares %s and %s (worst %s) strictly', (a, b, worst) => {
    if (a === b) {
      expect(isWorse(a, b)).toBe(false);
      return;
    }
    const better = worst === a ? b : a;
    expect(isWorse(worst, better)).toBe(true);
    expect(isWorse(better, worst)).toBe(false);
  });
});

describe('impactOf', () => {
  it.each<[Severity, Impact]>([
    ['P0', 'critical'],
    ['P1', 'major'],
    ['P2', 'minor'],
    ['P3', 'none'],
  ])('derives %s → %s when there is no override', (severity, impact) => {
    expect(impactOf(severity)).toBe(impact);
    expect(impactOf(severity, null)).toBe(impact);
    expect(impactOf(severity, undefined)).toBe(impact);
  });

  it.each<[Severity, Impact]>([
    ['P0', 'minor'],
    ['P1', 'critical'],
    ['P2', 'major'],
    ['P3', 'critical'],
  ])('lets an override win over the severity (%s overridden to %s)', (severity, override) => {
    expect(impactOf(severity, override)).toBe(override);
  });

  // Guards a falsy check: 'none' is a real override, not the absence of one.
  it("honours an override of 'none' on a P0", () => {
    expect(impactOf('P0', 'none')).toBe('none');
  });
});

describe('overallStatus', () => {
  it.each<[ComponentStatus, Indicator, string]>([
    ['operational', 'none', 'All Systems Operational'],
    ['under_maintenance', 'maintenance', 'Service Under Maintenance'],
    ['degraded_performance', 'minor', 'Minor Service Outage'],
    ['partial_outage', 'major', 'Partial System Outage'],
    ['major_outage', 'critical', 'Major System Outage'],
  ])('maps a page whose worst component is %s to %s, "%s"', (status, indicator, description) => {
    expect(overallStatus(['operational', status, 'operational'])).toEqual({ indicator, description });
  });

  it('is all operational with no components and no incidents', () => {
    expect(overallStatus([])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(overallStatus([], [])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
  });

  it('follows the worst component among several', () => {
    expect(overallStatus(['degraded_performance', 'major_outage', 'under_maintenance'])).toEqual({
      indicator: 'critical',
      description: 'Major System Outage',
    });
  });

  // An incident opened before anyone touched a component must still turn the page.
  it.each<[Impact, Indicator, string]>([
    ['none', 'none', 'All Systems Operational'],
    ['minor', 'minor', 'Minor Service Outage'],
    ['major', 'major', 'Partial System Outage'],
    ['critical', 'critical', 'Major System Outage'],
  ])('lets an active %s incident over operational components set %s', (impact, indicator, description) => {
    expect(overallStatus(['operational', 'operational'], [impact])).toEqual({ indicator, description });
  });

  it('lets an incident impact worse than the components win', () => {
    expect(overallStatus(['degraded_performance'], ['critical'])).toEqual({
      indicator: 'critical',
      description: 'Major System Outage',
    });
    expect(overallStatus(['partial_outage'], ['critical'])).toEqual({
      indicator: 'critical',
      description: 'Major System Outage',
    });
  });

  it('keeps the components when the incident impact is milder', () => {
    expect(overallStatus(['major_outage'], ['minor'])).toEqual({
      indicator: 'critical',
      description: 'Major System Outage',
    });
    expect(overallStatus(['partial_outage'], ['none', 'minor'])).toEqual({
      indicator: 'major',
      description: 'Partial System Outage',
    });
    expect(overallStatus(['degraded_performance'], ['none'])).toEqual({
      indicator: 'minor',
      description: 'Minor Service Outage',
    });
  });

  it('keeps the components when the incident impact is the same', () => {
    expect(overallStatus(['partial_outage'], ['major'])).toEqual({
      indicator: 'major',
      description: 'Partial System Outage',
    });
  });

  it('takes the worst of several active incidents', () => {
    expect(overallStatus(['operational'], ['minor', 'critical', 'major'])).toEqual({
      indicator: 'critical',
      description: 'Major System Outage',
    });
  });

  describe('maintenance against a minor outage', () => {
    it('a degraded component outranks one under maintenance', () => {
      expect(overallStatus(['under_maintenance', 'degraded_performance'])).toEqual({
        indicator: 'minor',
        description: 'Minor Service Outage',
      });
    });

    it('a minor incident outranks maintenance', () => {
      expect(overallStatus(['under_maintenance'], ['minor'])).toEqual({
        indicator: 'minor',
        description: 'Minor Service Outage',
      });
    });

    // A P3 (impact none) during maintenance must not hide the maintenance headline.
    it("an incident of impact 'none' does not hide maintenance", () => {
      expect(overallStatus(['under_maintenance'], ['none'])).toEqual({
        indicator: 'maintenance',
        description: 'Service Under Maintenance',
      });
    });
  });

  it('accepts any iterables', () => {
    expect(
      overallStatus(new Set<ComponentStatus>(['under_maintenance']), new Set<Impact>(['none', 'major'])),
    ).toEqual({ indicator: 'major', description: 'Partial System Outage' });
  });
});

describe('pageStatus', () => {
  const components = (...statuses: ComponentStatus[]) => statuses.map((status) => ({ status }));

  it('rolls up the components and the unresolved incidents as overallStatus does', () => {
    expect(pageStatus(components('operational', 'partial_outage'), [])).toEqual(overallStatus(['operational', 'partial_outage']));
    expect(pageStatus([], [])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
  });

  it("weighs an incident by its public impact: severity's, or the override's when one is set", () => {
    expect(pageStatus(components('operational'), [{ severity: 'P1', impactOverride: null }]).indicator).toBe('major');
    expect(pageStatus(components('operational'), [{ severity: 'P1' }]).indicator).toBe('major');
    expect(pageStatus(components('operational'), [{ severity: 'P0', impactOverride: 'minor' }]).indicator).toBe('minor');
    expect(pageStatus(components('under_maintenance'), [{ severity: 'P0', impactOverride: 'none' }])).toEqual({
      indicator: 'maintenance',
      description: 'Service Under Maintenance',
    });
  });
});

describe('componentStatusLabel', () => {
  it.each<[ComponentStatus, string]>([
    ['operational', 'Operational'],
    ['under_maintenance', 'Under maintenance'],
    ['degraded_performance', 'Degraded performance'],
    ['partial_outage', 'Partial outage'],
    ['major_outage', 'Major outage'],
  ])('labels %s as "%s"', (status, label) => {
    expect(componentStatusLabel(status)).toBe(label);
  });
});
