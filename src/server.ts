import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { ensureFirstOwner } from './modules/users/index.js';
import { loadOrCreateSecret } from './secrets.js';
import { seedDemoData } from './seed/demo.js';

/** The only place that reads the environment: it builds the config and hands it on. */
async function main() {
  const env = process.env;
  const production = env.NODE_ENV === 'production';
  if (!env.JWT_SECRET && production) throw new ConfigError('JWT_SECRET is required in production');
  const config = loadConfig(env, env.JWT_SECRET ? {} : { jwtSecret: loadOrCreateSecret(env.DATA_DIR ?? './data') });

  const database = await openDatabase(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  await database.migrate();

  const app = await buildApp({ config, database, ownsDatabase: true });
  const owner = await ensureFirstOwner(app.db, { email: config.adminEmail, password: config.adminPassword });
  if (owner) {
    const email = owner.user.email;
    const password = owner.generatedPassword
      ? `password: ${owner.generatedPassword}   (shown once: write it down)`
      : 'password: the one in ADMIN_PASSWORD';
    console.log(`\n  First owner created.  email: ${email}   ${password}\n`);
  }

  // Demo data only on the very first start (the owner was just created), so components an
  // owner later deletes do not come back on the next restart.
  const seedDemo = config.demoData ?? database.kind === 'pglite';
  if (seedDemo && owner && (await seedDemoData(app.db, owner.user, app.site))) app.log.info('demo data seeded');

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.log.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'error during shutdown');
          process.exit(1);
        },
      );
    });
  }

  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`  ${config.pageName} is up at ${address}/  (admin API: /api/admin, docs: /docs)\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
