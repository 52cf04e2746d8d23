/** The pure parts of public/page.js, for its tests. */
export function timeAgo(at: number, now: number): string;
export function startsIn(at: number, now: number): string;
export function barText(firstDay: string, index: number, tone: string, issueLines: readonly string[]): string;
export function toneAt(strokes: ReadonlyArray<{ tone: string; path: string }>, index: number): string;
