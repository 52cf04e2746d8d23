/* global document, setInterval, fetch, URLSearchParams */
// The console's one script (no build step, no framework): live countdowns, the Now board's
// refresh, the template picker, Markdown preview and Ctrl/⌘+Enter. Every form works without it.

const csrf = document.querySelector('main')?.dataset.csrf ?? '';

// The wording of src/text/countdown.ts, kept in step by hand: this file is served as written.
function countdown(ms) {
  const seconds = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  if (seconds < 600) return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

function overdue(ms) {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  return seconds < 600 ? `${Math.floor(seconds / 60)} min` : countdown(ms);
}

function tick() {
  for (const clock of document.querySelectorAll('.clock[data-due]')) {
    const left = Date.parse(clock.dataset.due) - Date.now();
    const late = left < 0;
    const text = late ? `${clock.dataset.label} overdue by ${overdue(left)}` : `${clock.dataset.label} due in ${countdown(left)}`;
    const span = clock.querySelector('.clock-text');
    if (span && span.textContent !== text) span.textContent = text;
    clock.classList.toggle('breached', late);
    const flag = clock.querySelector('.flag');
    if (flag) flag.hidden = !late;
  }
}
if (document.querySelector('.clock[data-due]')) setInterval(tick, 1000);

// The Now board: fetched again every 15 s; a change is announced politely.
const board = document.getElementById('board');
if (board?.dataset.poll) {
  const announce = document.getElementById('board-announce');
  setInterval(async () => {
    try {
      const response = await fetch(board.dataset.poll, { headers: { accept: 'application/json' } });
      if (!response.ok) return;
      const { html, summary } = await response.json();
      board.innerHTML = html;
      tick();
      if (summary !== board.dataset.summary) {
        board.dataset.summary = summary;
        if (announce) announce.textContent = summary;
      }
    } catch {
      // Offline for a moment: the next poll tries again.
    }
  }, 15_000);
}

// The template picker fills its form at once (the declare form, or the incident's composer);
// "Use template" does the same without script. A field the form lacks is left alone, a status
// the form cannot take is kept, and components the template does not name go back to
// operational on the declare form or keep their status in the composer (`data-unlisted="keep"`).
const picker = document.querySelector('select[data-fills]');
const templatesData = document.getElementById('templates');
if (picker && templatesData) {
  const templates = JSON.parse(templatesData.textContent ?? '[]');
  const form = document.getElementById(picker.dataset.fills);
  const keep = picker.dataset.unlisted === 'keep';
  const set = (name, value) => {
    const element = form.elements[name];
    if (!element || element === picker) return;
    if (element.tagName === 'SELECT' && ![...element.options].some((o) => o.value === value)) return;
    element.value = value;
  };
  picker.addEventListener('change', () => {
    const template = templates.find((t) => t.id === picker.value);
    set('template', picker.value);
    if (!template) return;
    for (const name of ['title', 'severity', 'status', 'message']) set(name, template[name]);
    for (const select of form.querySelectorAll('select[name^="component-"]')) {
      const status = template.componentStatuses[select.name.slice('component-'.length)];
      if (status || !keep) select.value = status ?? 'operational';
    }
  });
}

// Write / Preview: the preview is the server's own sanitised rendering.
for (const field of document.querySelectorAll('.message-field')) {
  const tabs = field.querySelector('.tabs');
  const textarea = field.querySelector('textarea');
  const preview = field.querySelector('.preview');
  if (!tabs || !textarea || !preview) continue;
  tabs.hidden = false;
  const [write, show] = tabs.querySelectorAll('button');
  const select = (previewing) => {
    write.setAttribute('aria-pressed', String(!previewing));
    show.setAttribute('aria-pressed', String(previewing));
    textarea.hidden = previewing;
    preview.hidden = !previewing;
  };
  write.addEventListener('click', () => select(false));
  show.addEventListener('click', async () => {
    select(true);
    preview.textContent = 'Rendering…';
    const body = new URLSearchParams({ _csrf: csrf, message: textarea.value });
    const response = await fetch('/admin/preview', { method: 'POST', body });
    const answer = await response.json().catch(() => ({ message: 'The preview failed.' }));
    if (response.ok) preview.innerHTML = answer.html || '<p>(empty)</p>';
    else preview.textContent = answer.message;
  });
}

// Ctrl+Enter (⌘+Enter on a Mac) posts the form being written.
for (const form of document.querySelectorAll('form[data-submit-shortcut]')) {
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
