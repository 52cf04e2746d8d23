import { createHash } from 'node:crypto';
import sanitizeHtml from 'sanitize-html';
import { Errors } from '../../core/errors.js';

/** The largest logo or favicon accepted, in bytes (after base64 decoding). */
export const MAX_IMAGE_BYTES = 256 * 1024;

export type ImageType = 'image/png' | 'image/svg+xml';

export interface CheckedImage {
  contentType: ImageType;
  /** The bytes to store and serve: an SVG's are the sanitised ones. */
  bytes: Buffer;
  hash: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * SVG as drawing only. sanitize-html (already the sanitiser of update bodies) with an allow-list
 * of shape, text and paint elements: no script, no foreignObject, no animation (it can rewrite
 * an `href`), no `style` element (it can `@import`), no event handler (none is listed), and a
 * reference only to a fragment of the same file. A browser loads an `<img>` SVG without
 * running script or fetching anything anyway; this is for whoever opens the image's URL.
 */
const SVG_TAGS = [
    'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
    'text', 'tspan', 'lineargradient', 'radialgradient', 'stop', 'clippath', 'mask', 'pattern',
];
const SVG_ATTRIBUTES = [
      'id', 'class', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'width', 'height', 'd', 'points', 'transform',
      'fill', 'fill-opacity', 'fill-rule', 'clip-rule', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin',
      'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset', 'stroke-opacity', 'opacity', 'viewbox', 'preserveaspectratio',
      'xmlns', 'version', 'offset', 'stop-color', 'stop-opacity', 'gradientunits', 'gradienttransform', 'spreadmethod', 'fx', 'fy',
      'clip-path', 'clippathunits', 'mask', 'maskunits', 'patternunits', 'patterntransform', 'font-family', 'font-size',
      'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'letter-spacing', 'dx', 'dy', 'role', 'aria-label',
      'aria-hidden', 'href', 'xlink:href', 'xmlns:xlink',
];
/** xmlMode keeps names as written (viewBox, linearGradient); the lists above are lower case. */
const CAMEL_CASE = ['viewBox', 'preserveAspectRatio', 'linearGradient', 'radialGradient', 'clipPath', 'gradientUnits', 'gradientTransform', 'spreadMethod', 'clipPathUnits', 'maskUnits', 'patternUnits', 'patternTransform'];
const anyCase = (names: string[]) => names.flatMap((n) => [n, ...CAMEL_CASE.filter((c) => c.toLowerCase() === n)]);

const SVG_POLICY: sanitizeHtml.IOptions = {
  allowedTags: anyCase(SVG_TAGS),
  allowedAttributes: { '*': anyCase(SVG_ATTRIBUTES) },
  // `href` (and xlink's) only to `#fragment`: checked in `transformTags`, so no scheme is needed.
  allowedSchemes: [],
  allowedSchemesAppliedToAttributes: [],
  selfClosing: ['path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'stop', 'use'],
  parser: { xmlMode: true, lowerCaseTags: false, lowerCaseAttributeNames: false },
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'foreignObject', 'foreignobject', 'textarea', 'noscript'],
};

/** A paint attribute may reference a gradient in the same file, never a URL elsewhere. */
const OUTSIDE_REFERENCE = /url\(\s*['"]?(?!#)/i;

function sanitiseSvg(source: string): string {
  return sanitizeHtml(source, {
    ...SVG_POLICY,
    transformTags: {
      '*': (tagName, attribs) => {
        const kept: Record<string, string> = {};
        for (const [name, value] of Object.entries(attribs)) {
          if (/^(xlink:)?href$/i.test(name) && !value.trim().startsWith('#')) continue;
          if (OUTSIDE_REFERENCE.test(value)) continue;
          kept[name] = value;
        }
        return { tagName, attribs: kept };
      },
    },
  });
}

/**
 * An uploaded logo or favicon, checked: a PNG by its signature, an SVG sanitised (and refused
 * when nothing drawable is left). Throws HG_INVALID with what is wrong.
 */
export function checkImage(what: string, contentType: ImageType, base64: string): CheckedImage {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64.replace(/\s+/g, ''))) throw new Errors.invalid(`The ${what} is not base64`);
  const raw = Buffer.from(base64, 'base64');
  if (raw.length === 0) throw new Errors.invalid(`The ${what} is empty`);
  if (raw.length > MAX_IMAGE_BYTES) throw new Errors.invalid(`The ${what} is larger than ${MAX_IMAGE_BYTES / 1024} KiB`);
  let bytes = raw;
  if (contentType === 'image/png') {
    if (!raw.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Errors.invalid(`The ${what} is not a PNG file`);
  } else {
    const clean = sanitiseSvg(raw.toString('utf8'));
    if (!/^\s*<svg[\s>]/.test(clean)) throw new Errors.invalid(`The ${what} is not an SVG image (an <svg> element first)`);
    bytes = Buffer.from(clean, 'utf8');
  }
  return { contentType, bytes, hash: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
}
