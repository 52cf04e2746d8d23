/**
 * What a Markdown body may ask of the renderer. The renderer is recursive and some of its
 * inline rules backtrack: deep nesting overflows its stack, and long runs of emphasis or
 * link delimiters cost time that grows faster than the text. These limits are far beyond what
 * a status update needs and keep every accepted body to a few milliseconds of work; they are
 * checked in one linear pass before the renderer sees the text.
 */
export const MARKDOWN_LIMITS = {
  /** Characters in one body. */
  maxLength: 20_000,
  /** Block quotes and lists inside one another. */
  maxNesting: 8,
  /** `*`, `_` and `~` characters in one body: each may open or close emphasis. */
  maxEmphasisDelimiters: 1_000,
  /** The longest run of one emphasis character outside a thematic break (`***`). */
  maxDelimiterRun: 32,
  /** `[`, `<` and backticks: link, autolink and code-span openers. */
  maxOpeners: 1_000,
} as const;

export interface MarkdownProblem {
  /** A sentence for the author: what is too much, and the limit. */
  message: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** One container marker at the start of what remains of a line: a quote or a list item. */
const CONTAINER = /^[ \t]*(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$))[ \t]?/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** The first limit a body goes over, or null when the renderer may have it. Pure, linear. */
export function markdownProblem(source: string, limits = MARKDOWN_LIMITS): MarkdownProblem | null {
  if (source.length > limits.maxLength) {
    return { message: `The text is ${source.length} characters long; the limit is ${limits.maxLength}.` };
  }
  let fenced = false;
  let delimiters = 0;
  let openers = 0;
  let lineNumber = 0;
  for (const line of source.split('\n')) {
    lineNumber += 1;
    if (FENCE.test(line)) fenced = !fenced;
    if (fenced) continue;
    if (THEMATIC_BREAK.test(line)) continue;
    const depth = nestingOf(line);
    if (depth > limits.maxNesting) {
      return { message: `Line ${lineNumber} nests quotes or lists ${depth} deep; the limit is ${limits.maxNesting}.` };
    }
    let run = 0;
    let runChar = '';
    for (const ch of line) {
      if (ch === '*' || ch === '_' || ch === '~') {
        delimiters += 1;
        run = ch === runChar ? run + 1 : 1;
        runChar = ch;
        if (run > limits.maxDelimiterRun) {
          return { message: `Line ${lineNumber} has a run of more than ${limits.maxDelimiterRun} "${ch}" characters.` };
        }
        continue;
      }
      run = 0;
      runChar = '';
      if (ch === '[' || ch === '<' || ch === '`') openers += 1;
    }
  }
  if (delimiters > limits.maxEmphasisDelimiters) {
    return { message: `The text has ${delimiters} emphasis characters (*, _ and ~); the limit is ${limits.maxEmphasisDelimiters}.` };
  }
  if (openers > limits.maxOpeners) {
    return { message: `The text has ${openers} link and code openers ([, < and \`); the limit is ${limits.maxOpeners}.` };
  }
  return null;
}

/**
 * How deep a line sits in quotes and lists: its container markers, plus the lists its
 * indentation continues (each level of a nested list is indented by at least two spaces).
 */
function nestingOf(line: string): number {
  // A tab stops at the next multiple of four columns; counting it as four is near enough here.
  const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
  let rest = line;
  let markers = 0;
  for (let m = CONTAINER.exec(rest); m && m[0].length > 0; m = CONTAINER.exec(rest)) {
    markers += 1;
    rest = rest.slice(m[0].length);
  }
  return markers === 0 ? 0 : markers + Math.floor(indent / 2);
}
