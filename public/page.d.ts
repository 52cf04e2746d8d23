/** The pure parts of public/page.js, for its tests. `lang`: the page's language, English by default. */
export function timeAgo(at: number, now: number, lang?: string): string;
export function startsIn(at: number, now: number, lang?: string): string;
/** `words`: the bars' words in the page's language (`line` is "{day}: {text}" in it). */
export function barText(
  firstDay: string,
  index: number,
  tone: string,
  issueLines: readonly string[],
  words?: { lang: string; line: string; noData: string; noDowntime: string },
): string;
export function toneAt(strokes: ReadonlyArray<{ tone: string; path: string }>, index: number): string;
