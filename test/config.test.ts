import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../src/config.js';

const SECRET = 's'.repeat(32);
/** The environment a server needs at least: everything else has a default. */
const env = (vars: Record<string, string | undefined> = {}) => ({ JWT_SECRET: SECRET, ...vars });

describe('loadConfig: precedence', () => {
  it('uses defaults when neither option nor environment says otherwise', () => {
    const config = loadConfig(env());
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      pageName: 'Heliograph Status',
      displayTimeZone: 'UTC',
      production: false,
      reloadTemplates: false,
      logLevel: 'info',
      publicMaxAgeSeconds: 15,
      publicStaleSeconds: 60,
      publicStaleIfErrorSeconds: 86_400,
      renderTtlSeconds: 60,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.demoData).toBeUndefined();
  });

  it('takes the environment over the defaults', () => {
    const config = loadConfig(
      env({
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://db.example.test/status',
        DATA_DIR: '/var/lib/heliograph',
        PAGE_NAME: 'Acme Status',
        TZ_DISPLAY: 'Europe/Berlin',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'production',
      }),
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://db.example.test/status',
      dataDir: '/var/lib/heliograph',
      pageName: 'Acme Status',
      displayTimeZone: 'Europe/Berlin',
      logLevel: 'warn',
      production: true,
      jwtSecret: SECRET,
    });
  });

  it('takes options over the environment', () => {
    const config = loadConfig(env({ PORT: '8080', PAGE_NAME: 'From env', TZ_DISPLAY: 'Europe/Berlin' }), {
      port: 9090,
      pageName: 'From options',
      jwtSecret: 'o'.repeat(40),
    });
    expect(config).toMatchObject({ port: 9090, pageName: 'From options', displayTimeZone: 'Europe/Berlin', jwtSecret: 'o'.repeat(40) });
  });

  it('reads the default language from DEFAULT_LANGUAGE, one of the shipped languages', () => {
    expect(loadConfig(env({})).defaultLanguage).toBe('en');
    expect(loadConfig(env({ DEFAULT_LANGUAGE: 'DE' })).defaultLanguage).toBe('de');
    expect(() => loadConfig(env({ DEFAULT_LANGUAGE: 'xx' }))).toThrow(ConfigError);
  });

  it('lets an undefined option fall through to the environment', () => {
    expect(loadConfig(env({ PORT: '8080' }), { port: undefined }).port).toBe(8080);
  });

  it('compiles templates once unless RELOAD_TEMPLATES is on, whatever NODE_ENV says', () => {
    // `npm start` runs without NODE_ENV: a render must not read the templates from disk there.
    expect(loadConfig(env({ NODE_ENV: undefined })).reloadTemplates).toBe(false);
    expect(loadConfig(env({ RELOAD_TEMPLATES: 'on' })).reloadTemplates).toBe(true);
    expect(loadConfig(env({ RELOAD_TEMPLATES: 'off' })).reloadTemplates).toBe(false);
  });

  it('treats an empty DATABASE_URL or SMTP_URL as unset', () => {
    const config = loadConfig(env({ DATABASE_URL: '', SMTP_URL: '' }));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
  });

  it('needs no environment at all when options carry the secret', () => {
    expect(loadConfig({}, { jwtSecret: SECRET }).port).toBe(3000);
  });
});

describe('loadConfig: empty variables', () => {
  // Regression: PORT= parsed as 0, a random port, and HOST= as an empty address.
  it('treats an empty or blank variable as unset', () => {
    const config = loadConfig(env({ PORT: '', HOST: ' ', PAGE_NAME: '', TRUST_PROXY: '' }));
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.pageName).toBe('Heliograph Status');
    expect(config.trustProxy).toBeUndefined();
  });

  it('reads TRUST_PROXY as a comma-separated list', () => {
    expect(loadConfig(env({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,loopback' })).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16', 'loopback']);
  });
});

describe('loadConfig: validation', () => {
  // Regression: a 300 s check with a 120 s warning window skipped most due-soon reminders.
  it('refuses a reminder check less often than the warning window lasts', () => {
    expect(() => loadConfig(env({ REMINDER_INTERVAL_SECONDS: '300', REMINDER_LEAD_SECONDS: '120' }))).toThrow(/REMINDER_INTERVAL_SECONDS/);
    expect(loadConfig(env({ REMINDER_INTERVAL_SECONDS: '120', REMINDER_LEAD_SECONDS: '120' })).reminderIntervalSeconds).toBe(120);
    // No warning window, or no scheduler: nothing to skip.
    expect(loadConfig(env({ REMINDER_INTERVAL_SECONDS: '300', REMINDER_LEAD_SECONDS: '0' })).reminderLeadSeconds).toBe(0);
    expect(loadConfig(env({ REMINDER_INTERVAL_SECONDS: '0', REMINDER_LEAD_SECONDS: '60' })).reminderIntervalSeconds).toBe(0);
  });

  it('refuses a missing JWT secret', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
  });

  it('refuses a JWT secret under 32 bytes', () => {
    expect(() => loadConfig(env({ JWT_SECRET: 'x'.repeat(31) }))).toThrow(/JWT|jwtSecret/);
    expect(() => loadConfig(env({ JWT_SECRET: '' }))).toThrow(ConfigError);
    expect(loadConfig(env({ JWT_SECRET: 'x'.repeat(32) })).jwtSecret).toBe('x'.repeat(32));
  });

  // The contract says bytes: the HMAC key is the UTF-8 encoding, whatever the characters.
  it('counts the secret in bytes, not characters', () => {
    const sixteenTwoByte = 'é'.repeat(16); // 16 characters, 32 bytes
    expect(Buffer.byteLength(sixteenTwoByte)).toBe(32);
    expect(loadConfig(env({ JWT_SECRET: sixteenTwoByte })).jwtSecret).toBe(sixteenTwoByte);
    const eightEmoji = '🔑'.repeat(8); // 8 code points, 32 bytes
    expect(loadConfig(env({ JWT_SECRET: eightEmoji })).jwtSecret).toBe(eightEmoji);
    const thirtyOneBytes = 'é'.repeat(15) + 'a'; // 16 characters, 31 bytes
    expect(() => loadConfig(env({ JWT_SECRET: thirtyOneBytes }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ JWT_SECRET: '🔑'.repeat(7) + 'abc' }))).toThrow(ConfigError);
  });

  it('takes the page’s default language from DEFAULT_LANGUAGE, among the shipped ones', () => {
    expect(loadConfig(env({})).defaultLanguage).toBe('en');
    expect(loadConfig(env({ DEFAULT_LANGUAGE: 'de' })).defaultLanguage).toBe('de');
    expect(loadConfig(env({ DEFAULT_LANGUAGE: 'JA' })).defaultLanguage).toBe('ja');
    expect(() => loadConfig(env({ DEFAULT_LANGUAGE: 'xx' }))).toThrow(/DEFAULT_LANGUAGE/);
  });

  it('refuses an unknown display time zone', () => {
    expect(() => loadConfig(env({ TZ_DISPLAY: 'Mars/Olympus_Mons' }))).toThrow(/TZ_DISPLAY/);
    expect(() => loadConfig(env({ TZ_DISPLAY: 'not a zone' }))).toThrow(ConfigError);
    expect(loadConfig(env({ TZ_DISPLAY: 'America/New_York' })).displayTimeZone).toBe('America/New_York');
  });

  it('refuses a port that is not a port', () => {
    expect(() => loadConfig(env({ PORT: 'http' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ PORT: '70000' }))).toThrow(ConfigError);
  });

  it('refuses a database URL that is not PostgreSQL', () => {
    expect(() => loadConfig(env({ DATABASE_URL: 'mysql://db/status' }))).toThrow(ConfigError);
  });

  it('refuses an unknown log level', () => {
    expect(() => loadConfig(env({ LOG_LEVEL: 'loud' }))).toThrow(ConfigError);
  });

  it('refuses a public URL that is not http(s)', () => {
    expect(() => loadConfig(env({ PUBLIC_URL: 'ftp://status.example.test' }))).toThrow(ConfigError);
  });
});

describe('loadConfig: DEMO_DATA', () => {
  it.each([
    ['false', false],
    ['FALSE', false],
    ['0', false],
    ['no', false],
    ['off', false],
    ['true', true],
    ['1', true],
    ['yes', true],
  ])('DEMO_DATA=%s → %s', (value, expected) => {
    expect(loadConfig(env({ DEMO_DATA: value })).demoData).toBe(expected);
  });

  it('leaves the choice to the database kind when unset', () => {
    expect(loadConfig(env()).demoData).toBeUndefined();
  });

  // "Never seeded on PostgreSQL unless DEMO_DATA=true": an empty variable (DEMO_DATA= in a
  // compose file) used to read as true and seed demo data into a production database.
  it('treats an empty DEMO_DATA as unset', () => {
    expect(loadConfig(env({ DEMO_DATA: '' })).demoData).toBeUndefined();
  });
});

describe('loadConfig: publicUrl', () => {
  it('defaults to this server’s own address', () => {
    expect(loadConfig(env()).publicUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig(env({ HOST: 'status.internal', PORT: '8080' })).publicUrl).toBe('http://status.internal:8080');
  });

  it('uses a reachable address when listening on every interface', () => {
    expect(loadConfig(env({ HOST: '0.0.0.0', PORT: '8080' })).publicUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig(env({ HOST: '::', PORT: '8080' })).publicUrl).toBe('http://[::1]:8080');
  });

  // Regression: an IPv6 host used to give "http://::1:3000", which is not a URL.
  it('brackets an IPv6 host', () => {
    const url = loadConfig(env({ HOST: '::1' })).publicUrl;
    expect(url).toBe('http://[::1]:3000');
    expect(new URL(url).port).toBe('3000');
  });

  it('drops trailing slashes, from the environment and from options alike', () => {
    expect(loadConfig(env({ PUBLIC_URL: 'https://status.example.test/' })).publicUrl).toBe('https://status.example.test');
    expect(loadConfig(env({ PUBLIC_URL: 'https://status.example.test///' })).publicUrl).toBe('https://status.example.test');
    expect(loadConfig(env(), { publicUrl: 'https://example.test/status/' }).publicUrl).toBe('https://example.test/status');
    expect(parseConfig({ jwtSecret: SECRET, publicUrl: 'https://example.test/' }).publicUrl).toBe('https://example.test');
  });

  it('keeps a path under which the page is served', () => {
    expect(loadConfig(env({ PUBLIC_URL: 'https://example.test/status' })).publicUrl).toBe('https://example.test/status');
  });
});

describe('loadConfig: RENDER_CACHE_MAX_BYTES', () => {
  it('bounds the render cache at 16 MiB unless told otherwise, and at no less than 1 MiB', () => {
    expect(loadConfig(env()).renderCacheMaxBytes).toBe(16 * 1024 * 1024);
    expect(loadConfig(env({ RENDER_CACHE_MAX_BYTES: '67108864' })).renderCacheMaxBytes).toBe(64 * 1024 * 1024);
    expect(() => loadConfig(env({ RENDER_CACHE_MAX_BYTES: '1000' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ RENDER_CACHE_MAX_BYTES: 'lots' }))).toThrow(ConfigError);
  });
});
