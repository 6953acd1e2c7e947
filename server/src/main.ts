import { loadConfig, type Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { buildApp } from './http/app.ts';
import { createContext } from './http/context.ts';
import { DiskAttachmentStore } from './attachments/attachment-store.ts';
import { JobRunner } from './jobs/job-runner.ts';
import { JOBS } from './jobs/jobs.ts';

export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  return openDatabase({ url: config.databaseUrl, sqliteSynchronous: config.sqliteSynchronous });
}

/** Starts the HTTP server: migrate, optionally seed the demo city, listen; stops cleanly on SIGTERM/SIGINT. */
export async function serve(config: Config, options: { seedDemoIfEmpty: boolean }): Promise<void> {
  const handle = await openConfiguredDatabase(config);
  await migrateToLatest(handle.db);
  if (options.seedDemoIfEmpty) {
    const { seedDemoCityIfEmpty } = await import('./demo/seed-demo.ts');
    await seedDemoCityIfEmpty(handle.db, { seed: config.demoSeed, targetGrids: config.demoScale, log: (m) => console.log(m) });
  }
  const app = await buildApp(createContext(handle.db, handle.dialect, config, { attachments: new DiskAttachmentStore(config.attachmentsDir) }), { logger: { level: config.logLevel }, webDistDir: config.webDistDir, mapStyleUrl: config.mapStyleUrl });
  const jobs = config.jobs ? new JobRunner(handle.db, JOBS, { log: (m) => app.log.warn(m) }) : null;
  const shutdown = async (signal: string) => {
    app.log.info(`${signal}: closing`);
    await app.close();
    await jobs?.stop();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  jobs?.start();
  console.log(`CityOps listening on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port} (${handle.dialect})`);
}
