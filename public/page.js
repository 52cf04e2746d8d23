/* global document, window */
/**
 * What the server leaves to the reader's clock, for readers with JavaScript: how long ago an
 * update was posted ("(5 minutes ago)" after its time), how soon maintenance starts ("in 3
 * hours"), and the words of the uptime bar under the pointer. Without it the page is whole:
 * times in the page's zone, and the days with issues listed under each row of bars. Because
 * nothing on the page counts from the render's "now", a rendered page stays true until the
 * data changes or a UTC day ends.
 *
 * The words are the server's (src/text/time.ts, src/domain/maintenance-window.ts);
 * test/public/page.test.ts holds the two together. On a page in another language (`<html
 * lang>`) relative times are the browser's own (Intl.RelativeTimeFormat) and the bars' words
 * come from the page (the components section's data-day-line, data-no-data, data-no-downtime).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const relative = (lang) => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });

/** "just now", "1 minute ago", "3 hours ago", "2 days ago": the largest whole unit. */
export function timeAgo(at, now, lang = 'en') {
  const seconds = Math.floor((now - at) / 1000);
  for (const [unit, size] of [['day', 86_400], ['hour', 3_600], ['minute', 60]]) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return lang === 'en' ? `${n} ${unit}${n === 1 ? '' : 's'} ago` : relative(lang).format(-n, unit);
  }
  return lang === 'en' ? 'just now' : relative(lang).format(0, 'second');
}

/** "in 3 hours", "in 1 minute", or "now" once it is due. */
export function startsIn(at, now, lang = 'en') {
  const minutes = Math.floor((at - now) / MINUTE);
  for (const [unit, size] of [['day', 1_440], ['hour', 60], ['minute', 1]]) {
    const n = Math.floor(minutes / size);
    if (n >= 1) return lang === 'en' ? `in ${n} ${unit}${n === 1 ? '' : 's'}` : relative(lang).format(n, unit);
  }
  return lang === 'en' ? 'now' : relative(lang).format(0, 'second');
}

/** The English words of the bars; a page in another language gives its own. */
const ENGLISH_BAR_WORDS = { lang: 'en', line: '{day}: {text}', noData: 'no data', noDowntime: 'no downtime' };

// Bars are UTC days, named as the server names them (English as US English).
const dayLabel = (lang) => new Intl.DateTimeFormat(lang === 'en' ? 'en-US' : lang, { timeZone: 'UTC', month: 'short', day: 'numeric' });

/**
 * The words for day `index` of a row of bars that starts on `firstDay` (YYYY-MM-DD): the line of
 * the list of days with issues that names it, or what its tone says of a quiet day.
 */
export function barText(firstDay, index, tone, issueLines, words = ENGLISH_BAR_WORDS) {
  const label = dayLabel(words.lang).format(new Date(Date.parse(`${firstDay}T00:00:00Z`) + index * DAY));
  const dayLine = (text) => words.line.replace('{day}', label).replace('{text}', text);
  // The line's own start, separator included: "Nov 1: " must not find "Nov 12: ".
  const line = issueLines.find((text) => text.startsWith(dayLine('')));
  if (line) return line;
  return dayLine(tone === 'none' ? words.noData : words.noDowntime);
}

/** The tone of day `index`, from the strokes' runs ("M12 .5h30" covers days 12 to 41). */
export function toneAt(strokes, index) {
  for (const { tone, path } of strokes) {
    for (const [, from, length] of path.matchAll(/M(\d+) \.5h(\d+)/g)) {
      if (index >= Number(from) && index < Number(from) + Number(length)) return tone;
    }
  }
  return 'none';
}

function showRelativeTimes() {
  const notes = [...document.querySelectorAll('time[data-ago]')].map((time) => {
    const note = document.createElement('span');
    time.after(note);
    return { time, note };
  });
  const starts = [...document.querySelectorAll('time[data-starts]')];
  const refresh = () => {
    const now = Date.now();
    const lang = document.documentElement.lang || 'en';
    for (const { time, note } of notes) note.textContent = ` (${timeAgo(Date.parse(time.dateTime), now, lang)})`;
    for (const time of starts) time.textContent = startsIn(Date.parse(time.dateTime), now, lang);
  };
  refresh();
  window.setInterval(refresh, 30_000);
}

function explainBars() {
  const section = document.querySelector('[data-bars-from]');
  if (!section) return;
  const firstDay = section.dataset.barsFrom;
  const { dayLine, noData, noDowntime } = section.dataset;
  const words = dayLine ? { lang: document.documentElement.lang || 'en', line: dayLine, noData, noDowntime } : ENGLISH_BAR_WORDS;
  const tip = document.createElement('div');
  tip.className = 'bar-tip';
  tip.hidden = true;
  // Screen readers have the same words in the page already.
  tip.setAttribute('aria-hidden', 'true');
  document.body.append(tip);
  for (const svg of section.querySelectorAll('svg.bars')) {
    const days = svg.viewBox.baseVal.width;
    const strokes = [...svg.querySelectorAll('path')].map((p) => ({ tone: p.getAttribute('class').slice(2), path: p.getAttribute('d') }));
    const issueLines = [...svg.parentElement.querySelectorAll('.uptime-days li')].map((li) => li.textContent);
    const hover = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    hover.setAttribute('class', 'hover');
    svg.addEventListener('pointermove', (event) => {
      const box = svg.getBoundingClientRect();
      const index = Math.min(days - 1, Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * days)));
      hover.setAttribute('d', `M${index} .5h1`);
      svg.append(hover);
      tip.textContent = barText(firstDay, index, toneAt(strokes, index), issueLines, words);
      tip.hidden = false;
      const center = box.left + ((index + 0.375) / days) * box.width;
      const half = tip.offsetWidth / 2;
      const left = Math.min(Math.max(center - half, 8), document.documentElement.clientWidth - tip.offsetWidth - 8);
      tip.style.left = `${left + window.scrollX}px`;
      tip.style.top = `${box.top + window.scrollY - tip.offsetHeight - 6}px`;
    });
    svg.addEventListener('pointerleave', () => {
      tip.hidden = true;
      hover.remove();
    });
  }
}

if (typeof document !== 'undefined') {
  showRelativeTimes();
  explainBars();
}
