import { Type, type Static } from 'typebox';
import { LANGUAGES } from '../../domain/languages.js';
import { Nullable, StringEnum } from '../../http/schema-helpers.js';

/** The largest custom stylesheet, in bytes of UTF-8. */
export const MAX_CUSTOM_CSS_BYTES = 32 * 1024;
export const MAX_FOOTER_LINKS = 8;

const PageName = Type.String({ minLength: 1, maxLength: 100 });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'An IANA zone, e.g. Europe/Berlin', examples: ['Europe/Berlin'] });
const Language = StringEnum(LANGUAGES);
const Colour = Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: '#rrggbb', examples: ['#6f42c1'] });
const Link = Type.String({ minLength: 1, maxLength: 500 });
const ImageType = StringEnum(['image/png', 'image/svg+xml'] as const);

export const FooterLink = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 60 }),
    url: Type.String({ minLength: 1, maxLength: 500, description: 'http(s), mailto, or a path of this page such as /history' }),
  },
  { additionalProperties: false },
);

const Upload = Type.Object(
  {
    contentType: ImageType,
    /** 256 KiB of bytes is at most 349,528 characters of base64. */
    data: Type.String({ minLength: 1, maxLength: 350_000, description: 'The file, base64; 256 KiB at most. An SVG is sanitised.' }),
  },
  { additionalProperties: false },
);
const OwnUrl = Type.Object({ url: Type.String({ minLength: 1, maxLength: 500, description: 'A path of this page, e.g. /brand/logo.svg' }) }, { additionalProperties: false });

export const UpdateSettings = Type.Object(
  {
    pageName: Type.Optional(Nullable(PageName)),
    timeZone: Type.Optional(Nullable(TimeZone)),
    defaultLanguage: Type.Optional(Nullable(Language)),
    accentColour: Type.Optional(Nullable(Colour)),
    supportUrl: Type.Optional(Nullable(Type.String({ ...Link, description: 'http(s) or mailto' }))),
    footerLinks: Type.Optional(Type.Array(FooterLink, { maxItems: MAX_FOOTER_LINKS })),
    customCss: Type.Optional(Nullable(Type.String({ maxLength: MAX_CUSTOM_CSS_BYTES, description: '32 KiB at most; served as /custom.css' }))),
    logo: Type.Optional(Nullable(Type.Union([Upload, OwnUrl]))),
    favicon: Type.Optional(Nullable(Upload)),
  },
  { additionalProperties: false, description: 'Only the fields sent change; null returns a field to its default.' },
);
export type UpdateSettingsInput = Static<typeof UpdateSettings>;

const Image = Type.Object({ url: Type.String(), contentType: Nullable(ImageType) });

export const PageSettings = Type.Object({
  pageName: Nullable(PageName),
  timeZone: Nullable(TimeZone),
  defaultLanguage: Nullable(Language),
  accentColour: Nullable(Colour),
  supportUrl: Nullable(Type.String()),
  footerLinks: Type.Array(FooterLink),
  customCss: Nullable(Type.String()),
  logo: Nullable(Image),
  favicon: Nullable(Image),
  /** What applies where a setting is null: the environment's values (PAGE_NAME, TZ_DISPLAY, DEFAULT_LANGUAGE). */
  defaults: Type.Object({ pageName: Type.String(), timeZone: Type.String(), defaultLanguage: Language }),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type PageSettingsView = Static<typeof PageSettings>;
