import { describe, expect, it } from 'vitest';
import { barText, startsIn, timeAgo, toneAt } from '../../public/page.js';
import { startsIn as serverStartsIn } from '../../src/domain/maintenance-window.js';
import { timeAgo as serverTimeAgo } from '../../src/text/time.js';
import { translator } from '../../src/i18n/translator.js';

/**
 * The page's script says in the reader's browser what the server used to say at render time.
 * It must say it in the same words, or a page would read differently with JavaScript on.
 */
const NOW = new Date('2026-11-24T10:00:00Z');
const SECONDS = [-90, 0, 1, 59, 60, 61, 119, 120, 3_599, 3_600, 7_199, 7_200, 86_399, 86_400, 172_800, 10_886_400];

describe('timeAgo in the browser', () => {
  it.each(SECONDS)('says what the server says %i seconds after', (seconds) => {
    const at = new Date(NOW.getTime() - seconds * 1000);
    expect(timeAgo(at.getTime(), NOW.getTime())).toBe(serverTimeAgo(at, NOW));
  });

  it('reads "5 minutes ago", "1 hour ago", "2 days ago"', () => {
    const ago = (s: number) => timeAgo(NOW.getTime() - s * 1000, NOW.getTime());
    expect([ago(300), ago(3_600), ago(2 * 86_400), ago(30)]).toEqual(['5 minutes ago', '1 hour ago', '2 days ago', 'just now']);
  });
});

describe('startsIn in the browser', () => {
  it.each(SECONDS)('says what the server says %i seconds before', (seconds) => {
    const scheduledFor = new Date(NOW.getTime() + seconds * 1000);
    const window = { scheduledFor, scheduledUntil: new Date(scheduledFor.getTime() + 3_600_000) };
    expect(startsIn(scheduledFor.getTime(), NOW.getTime())).toBe(serverStartsIn(window, NOW));
  });
});

describe('the words of the bar under the pointer', () => {
  const strokes = [
    { tone: 'none', path: 'M0 .5h10' },
    { tone: 'operational', path: 'M10 .5h67M78 .5h12' },
    { tone: 'major_outage', path: 'M77 .5h1' },
  ];
  const issues = ['Nov 12: major outage for 5 min, partial outage for 42 min'];

  it('finds each day’s tone in the runs of the strokes', () => {
    expect([0, 9, 10, 76, 77, 78, 89].map((i) => toneAt(strokes, i))).toEqual([
      'none',
      'none',
      'operational',
      'operational',
      'major_outage',
      'operational',
      'operational',
    ]);
  });

  it('names the UTC day as the server does and takes a day with issues from the listed line', () => {
    expect(barText('2026-08-27', 77, 'major_outage', issues)).toBe(issues[0]);
    expect(barText('2026-08-27', 0, 'none', issues)).toBe('Aug 27: no data');
    expect(barText('2026-08-27', 78, 'operational', issues)).toBe('Nov 13: no downtime');
    // Nov 1, the day US clocks go back, is one day like the others.
    expect(barText('2026-08-27', 66, 'operational', issues)).toBe('Nov 1: no downtime');
    expect(barText('2026-08-27', 89, 'operational', issues)).toBe('Nov 24: no downtime');
  });
});

describe('the page’s script in another language', () => {
  const de = translator('de');
  const words = {
    lang: 'de',
    line: de.t('uptime.dayLine', { day: '{day}', text: '{text}' }),
    noData: de.t('uptime.noData'),
    noDowntime: de.t('uptime.noDowntime'),
  };

  it('names a quiet day as the server names it in that language', () => {
    const day = new Date('2026-08-27T00:00:00Z');
    expect(barText('2026-08-27', 0, 'none', [], words)).toBe(de.t('uptime.dayLine', { day: de.utcDay(day), text: de.t('uptime.noData') }));
    const issue = de.t('uptime.dayLine', { day: de.utcDay(new Date('2026-11-12T00:00:00Z')), text: 'schwerer Ausfall für 5 Min.' });
    expect(barText('2026-08-27', 77, 'major_outage', [issue], words)).toBe(issue);
  });

  it('says how long ago and how soon in the browser’s words for the language', () => {
    expect(timeAgo(NOW.getTime() - 3 * 3_600_000, NOW.getTime(), 'de')).toBe('vor 3 Stunden');
    expect(startsIn(NOW.getTime() + 2 * 86_400_000, NOW.getTime(), 'fr')).toBe('après-demain');
  });
});

