/**
 * `npm run reset-password -- <email>`: gives a user a new random password (or the one in
 * ADMIN_PASSWORD) and ends their sessions. For an owner who lost the password printed at first
 * start. Like the server, an entry point that reads the environment. It needs the database
 * alone, not the whole configuration: no JWT_SECRET, so it runs with just DATABASE_URL or DATA_DIR.
 */
import { systemClock } from './core/clock.js';
import type { Site } from './core/site.js';
import { DEFAULT_RESPONSE_TARGETS } from './domain/response-clocks.js';
import { generatePassword } from './modules/auth/index.js';
import type { ServiceContext } from './modules/context.js';
import { findUserByEmail, updateUser } from './modules/users/index.js';
import { openMigratedDatabase } from './startup.js';

/**
 * Changing a password builds no page and sends no mail, so nothing reads the page's identity:
 * the script does not ask for the configuration that would give it (see above).
 */
const NO_SITE: Site = { pageName: '', publicUrl: '', timeZone: 'UTC' };

async function main() {
  const email = process.argv[2];
  if (!email) {
    console.error('Usage: npm run reset-password -- <email>');
    process.exit(2);
  }
  const env = process.env;
  const database = await openMigratedDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.DATA_DIR || './data' });
  try {
    const user = await findUserByEmail(database.db, email);
    if (!user) {
      console.error(`No user with email ${email}`);
      process.exitCode = 1;
      return;
    }
    const password = env.ADMIN_PASSWORD || generatePassword();
    if (password.length < 12) throw new Error('ADMIN_PASSWORD must be at least 12 characters');
    // Acting as the user themselves: the audit log records a password change by its owner.
    const ctx: ServiceContext = {
      db: database.db,
      clock: systemClock,
      site: NO_SITE,
      actor: { id: user.id, email: user.email, name: user.name, role: user.role },
      log: console,
      targets: DEFAULT_RESPONSE_TARGETS,
    };
    await updateUser(ctx, user.id, { password });
    console.log(env.ADMIN_PASSWORD ? `Password of ${user.email} set from ADMIN_PASSWORD.` : `New password of ${user.email}: ${password}`);
    console.log('Every session of that user has ended.');
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
