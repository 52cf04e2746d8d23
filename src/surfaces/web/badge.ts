/**
 * A shields.io-style status badge ("status | operational") as a small, self-contained SVG:
 * pure, no I/O. Text is user-controlled (component names), so every piece is escaped.
 */
import { escapeHtml } from '../../text/html.js';
import type { Indicator } from '../../domain/status.js';
import type { ComponentStatus } from '../../domain/vocabulary.js';
import { stripInvalidXmlChars } from '../../text/markdown.js';
import { translator, type Translator } from '../../i18n/translator.js';

export interface Badge {
  label: string;
  message: string;
  /** Background of the message half, a CSS colour we chose (never user input). */
  color: string;
}

const COLOR = {
  green: '#2e7d32',
  blue: '#0a5cc2',
  yellow: '#9a6700',
  orange: '#bc4c00',
  red: '#b62324',
  grey: '#555',
} as const;

type BadgeWord = 'operational' | 'under_maintenance' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'minor';

/** Each status's words (a `badge.*` message) and colour. */
const BY_STATUS: Record<ComponentStatus, [BadgeWord, string]> = {
  operational: ['operational', COLOR.green],
  under_maintenance: ['under_maintenance', COLOR.blue],
  degraded_performance: ['degraded_performance', COLOR.yellow],
  partial_outage: ['partial_outage', COLOR.orange],
  major_outage: ['major_outage', COLOR.red],
};

const BY_INDICATOR: Record<Indicator, [BadgeWord, string]> = {
  none: ['operational', COLOR.green],
  maintenance: ['under_maintenance', COLOR.blue],
  minor: ['minor', COLOR.yellow],
  major: ['partial_outage', COLOR.orange],
  critical: ['major_outage', COLOR.red],
};

const english = () => translator('en');

export function overallBadge(indicator: Indicator, { t }: Translator = english()): Badge {
  const [word, color] = BY_INDICATOR[indicator];
  return { label: t('badge.status'), message: t(`badge.${word}`), color };
}

export function componentBadge(name: string, status: ComponentStatus, { t }: Translator = english()): Badge {
  const [word, color] = BY_STATUS[status];
  return { label: name, message: t(`badge.${word}`), color };
}

/** The grey badge of a component that does not exist. */
export function unknownBadge({ t }: Translator = english()): Badge {
  return { label: t('badge.status'), message: t('badge.unknown'), color: COLOR.grey };
}

export const UNKNOWN_BADGE: Badge = unknownBadge();

// Approximate advances of Verdana at 11px (the face shields.io measures with), by character
// class: close enough that text never overflows its half, with no font files to read.
const NARROW = new Set("fijlrtI!|.,:;'()[]` ");
const WIDE = new Set('mwMW@%');
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) width += 4;
    else if (WIDE.has(ch)) width += 10.5;
    else if (ch >= 'A' && ch <= 'Z') width += 7.5;
    else if (ch.charCodeAt(0) > 0x2e7f) width += 11; // CJK and other full-width text
    else width += 6.7;
  }
  return Math.ceil(width);
}

const MAX_LABEL = 60;

/** SVG is XML: the HTML escapes are XML's too, once the characters XML forbids are gone. */
function escapeXml(text: string): string {
  return escapeHtml(stripInvalidXmlChars(text));
}

/** The badge as an SVG document, widths following the text. */
export function renderBadge(badge: Badge): string {
  const label = [...badge.label].length > MAX_LABEL ? `${[...badge.label].slice(0, MAX_LABEL - 1).join('')}…` : badge.label;
  const lw = textWidth(label) + 12;
  const mw = textWidth(badge.message) + 12;
  const w = lw + mw;
  const l = escapeXml(label);
  const m = escapeXml(badge.message);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${m}">`,
    `<title>${l}: ${m}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${badge.color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`,
    `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text>`,
    `<text x="${lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">${m}</text><text x="${lw + mw / 2}" y="14">${m}</text>`,
    `</g></svg>`,
  ].join('');
}
