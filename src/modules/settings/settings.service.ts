import { isTimeZone } from '../../config.js';
import { Errors } from '../../core/errors.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext, SystemContext } from '../context.js';
import { imageUrl, type SettingsDefaults } from './effective.js';
import { checkImage } from './images.js';
import * as repo from './settings.repo.js';
import { MAX_CUSTOM_CSS_BYTES, type PageSettingsView, type UpdateSettingsInput } from './settings.schemas.js';

const SUPPORT_URL = /^(https?:\/\/|mailto:)\S+$/i;
/** A footer link leaves for the web or mail, or stays on this page (`/history`, never `//host`). */
const FOOTER_URL = /^((https?:\/\/|mailto:)\S+|\/(?!\/)\S*)$/i;

function toView(defaults: SettingsDefaults, row: repo.SettingsRow | null, images: repo.ImageRef[]): PageSettingsView {
  const image = (kind: repo.ImageKind) => {
    const ref = images.find((i) => i.kind === kind);
    return ref ? { url: imageUrl(ref), contentType: ref.contentType } : null;
  };
  return {
    pageName: row?.pageName ?? null,
    timeZone: row?.timeZone ?? null,
    defaultLanguage: (row?.defaultLanguage as PageSettingsView['defaultLanguage']) ?? null,
    accentColour: row?.accentColour ?? null,
    supportUrl: row?.supportUrl ?? null,
    footerLinks: row?.footerLinks ?? [],
    customCss: row?.customCss ?? null,
    logo: image('logo') ?? (row?.logoUrl ? { url: row.logoUrl, contentType: null } : null),
    favicon: image('favicon'),
    defaults,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

export async function getSettings(ctx: SystemContext, defaults: SettingsDefaults): Promise<PageSettingsView> {
  const [row, images] = await Promise.all([repo.readSettings(ctx.db), repo.readImageRefs(ctx.db)]);
  return toView(defaults, row, images);
}

/** A logo URL must be one of our own page's: the page's policy loads images from its own origin only. */
function ownUrl(url: string, publicUrl: string): string {
  if (/^\/(?!\/)\S*$/.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.origin === new URL(publicUrl).origin) return `${parsed.pathname}${parsed.search}`;
  } catch {
    // Not a URL: refused below.
  }
  throw new Errors.invalid(`The logo URL must be a path of this page (such as /brand/logo.svg) or start with ${publicUrl}/`);
}

/** What is stored, checked: a value that cannot apply is refused with what is wrong, and nothing changes. */
function checked(input: UpdateSettingsInput, publicUrl: string): Partial<repo.SettingsValues> {
  const values: Partial<repo.SettingsValues> = {};
  if (input.pageName !== undefined) values.pageName = input.pageName?.trim() || null;
  if (input.timeZone !== undefined) {
    if (input.timeZone !== null && !isTimeZone(input.timeZone)) throw new Errors.invalid(`Unknown time zone ${input.timeZone}; use an IANA name such as Europe/Berlin`);
    values.timeZone = input.timeZone;
  }
  if (input.defaultLanguage !== undefined) values.defaultLanguage = input.defaultLanguage;
  if (input.accentColour !== undefined) values.accentColour = input.accentColour?.toLowerCase() ?? null;
  if (input.supportUrl !== undefined) {
    if (input.supportUrl !== null && !SUPPORT_URL.test(input.supportUrl)) throw new Errors.invalid('The support link must start with https://, http:// or mailto:');
    values.supportUrl = input.supportUrl;
  }
  if (input.footerLinks !== undefined) {
    const bad = input.footerLinks.find((l) => !FOOTER_URL.test(l.url));
    if (bad) throw new Errors.invalid(`Footer link "${bad.label}": the URL must start with https://, http://, mailto: or / (a page of this site)`);
    values.footerLinks = input.footerLinks.length > 0 ? input.footerLinks.map((l) => ({ label: l.label.trim(), url: l.url })) : null;
  }
  if (input.customCss !== undefined) {
    if (input.customCss !== null && Buffer.byteLength(input.customCss, 'utf8') > MAX_CUSTOM_CSS_BYTES) {
      throw new Errors.invalid(`The custom stylesheet is larger than ${MAX_CUSTOM_CSS_BYTES / 1024} KiB`);
    }
    values.customCss = input.customCss?.trim() ? input.customCss : null;
  }
  if (input.logo !== undefined) values.logoUrl = input.logo && 'url' in input.logo ? ownUrl(input.logo.url, publicUrl) : null;
  return values;
}

/** The audit's picture of the settings: images by type and hash, not their bytes. */
function auditable(row: repo.SettingsRow | null, images: repo.ImageRef[]) {
  const { id: _id, updatedAt: _at, ...values } = row ?? ({} as Partial<repo.SettingsRow>);
  return { ...values, images: images.map((i) => ({ kind: i.kind, contentType: i.contentType, hash: i.hash })) };
}

/** Changes the fields sent (null: back to the default), in one transaction with its audit row. */
export async function updateSettings(ctx: ServiceContext, defaults: SettingsDefaults, input: UpdateSettingsInput): Promise<PageSettingsView> {
  const now = ctx.clock();
  const values = checked(input, ctx.site.publicUrl);
  // Checked (and an SVG sanitised) before the transaction: no lock is held while it runs.
  const uploads = (['logo', 'favicon'] as const).map((kind) => {
    const given = input[kind];
    if (given === undefined) return { kind, change: 'keep' as const };
    if (given === null || 'url' in given) return { kind, change: 'delete' as const };
    const image = checkImage(kind, given.contentType, given.data);
    return { kind, change: 'put' as const, image: { kind, contentType: image.contentType, hash: image.hash, data: image.bytes.toString('base64') } };
  });
  return ctx.db.transaction(async (tx) => {
    const before = await repo.lockSettings(tx, now);
    const imagesBefore = await repo.readImageRefs(tx);
    await repo.writeSettings(tx, values, now);
    for (const upload of uploads) {
      if (upload.change === 'put') await repo.putImage(tx, upload.image, now);
      if (upload.change === 'delete') await repo.deleteImage(tx, upload.kind);
    }
    const [after, imagesAfter] = await Promise.all([repo.readSettings(tx), repo.readImageRefs(tx)]);
    await recordAudit(tx, ctx.actor, { action: 'settings.update', targetType: 'settings', targetId: null, before: auditable(before, imagesBefore), after: auditable(after, imagesAfter) }, now);
    return toView(defaults, after, imagesAfter);
  });
}
