import { describe, expect, it } from 'vitest';
import { localField, localInstant } from '../../../src/surfaces/console/forms.js';
import { scheduleInput, windowError } from '../../../src/surfaces/console/maintenance.routes.js';
import { templateInput } from '../../../src/surfaces/console/templates.routes.js';

describe('the management forms, turned into the API’s bodies', () => {
  it('reads a datetime-local field in the page’s display zone; other text goes to the schema as typed', () => {
    expect(localInstant('2026-12-07T10:00', 'Europe/Berlin')).toBe('2026-12-07T09:00:00.000Z');
    expect(localInstant('2026-07-07T10:00:30', 'Europe/Berlin')).toBe('2026-07-07T08:00:30.000Z');
    expect(localInstant(' 2026-12-07T10:00:00Z ', 'Europe/Berlin')).toBe('2026-12-07T10:00:00Z');
    expect(localInstant('tomorrow', 'UTC')).toBe('tomorrow');
  });

  it('shows an instant as a datetime-local field in the display zone, the way localInstant reads it back', () => {
    expect(localField(new Date('2026-12-07T09:00:00Z'), 'Europe/Berlin')).toBe('2026-12-07T10:00');
    expect(localField(new Date('2026-07-07T08:00:30Z'), 'Europe/Berlin')).toBe('2026-07-07T10:00:30');
    // Across the date line: the day is the zone's, not UTC's.
    expect(localField(new Date('2026-12-07T20:30:00Z'), 'Pacific/Kiritimati')).toBe('2026-12-08T10:30');
    expect(localInstant(localField(new Date('2026-12-07T20:30:00Z'), 'Pacific/Kiritimati'), 'Pacific/Kiritimati')).toBe('2026-12-07T20:30:00.000Z');
  });

  it('sends the Message as the maintenance body, and the components ticked', () => {
    const input = scheduleInput(
      { title: ' Upgrade ', message: 'Text', scheduledFor: '2026-12-07T10:00', scheduledUntil: '2026-12-07T12:00', componentIds: ['a'], autoStart: false, autoComplete: true },
      'UTC',
    );
    expect(input).toEqual({ title: 'Upgrade', body: 'Text', scheduledFor: '2026-12-07T10:00:00.000Z', scheduledUntil: '2026-12-07T12:00:00.000Z', componentIds: ['a'], autoStart: false, autoComplete: true });
  });

  it('puts the verb’s window refusals beside Ends at, in the form’s words', () => {
    expect(windowError('scheduledFor must be before scheduledUntil')).toEqual({ scheduledUntil: 'The start must be before the end.' });
    expect(windowError('scheduledUntil is in the past: that window is over')).toEqual({ scheduledUntil: 'The end is in the past: that window is over.' });
    expect(windowError('Unknown component x')).toEqual({ form: 'Unknown component x' });
  });

  it('names in a template only the components not left operational', () => {
    const input = templateInput({ name: ' DB ', title: 'T', severity: 'P1', status: 'identified', message: 'M', components: { a: 'operational', b: 'major_outage' }, version: '' });
    expect(input).toEqual({ name: 'DB', title: 'T', severity: 'P1', status: 'identified', message: 'M', componentStatuses: { b: 'major_outage' } });
  });
});
