import { buildApp } from './app.js';
import { systemContext } from './modules/context.js';
import { ensureFirstOwner } from './modules/users/index.js';
import { seedDemoData } from './seed/demo.js';
import { startFailure } from './start-failure.js';
import { exitOnDatabaseFailure, loggerOptions, startUp, stopOnSignals } from './startup.js';

/** The only place that reads the environment: it builds the config and hands it on. */
async function main() {
  // What this process creates is its owner's alone. (The data folder is also made private
  // explicitly: PGlite sets some files' modes itself, whatever the umask says.)
  process.umask(0o077);
  const { config, database } = await startUp(process.env);

  // Fastify makes the process's logger from the shared options: `app.log` is the one logger.
  const app = await buildApp({ config, database, logger: loggerOptions(config) });
  exitOnDatabaseFailure(database, app.log, config.dataDir);
  const owner = await ensureFirstOwner(systemContext(app), { email: config.adminEmail, password: config.adminPassword });
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
  if (seedDemo && owner && (await seedDemoData({ ...systemContext(app), actor: owner.user }))) app.log.info('demo data seeded');

  // Closing the app stops the HTTP server, the schedulers and the delivery worker (the round
  // in flight finishes) and the mailer; the database goes last.
  stopOnSignals(app.log, [
    { name: 'server', close: () => app.close() },
    { name: 'database', close: () => database.close() },
  ]);

  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`  ${config.pageName} is up at ${address}/  (admin API: /api/admin, docs: /docs)\n`);
}

main().catch((error: unknown) => {
  // A known cause in one line (what to fix); anything else with its stack.
  console.error(startFailure(error, process.env) ?? error);
  process.exit(1);
});
