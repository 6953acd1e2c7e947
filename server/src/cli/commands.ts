import { readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { Kysely } from 'kysely';
import { ValidationError } from '@cityops/domain/errors';
import type { CalendarYearFile } from '@cityops/domain/calendar/calendar-definition';
import type { TerritoryLevel } from '@cityops/domain/territory/levels';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openConfiguredDatabase, serve } from '../main.ts';
import { cliActor } from '../audit/audit.ts';
import { createApiKey } from '../access/access.service.ts';
import { createUser } from '../access/users.service.ts';
import { importTerritory, parseTerritoryFeatures } from '../territory/territory-import.ts';
import { exportTerritory } from '../territory/territory.service.ts';
import { importOverlays, parseOverlayFeatures } from '../territory/responsibility-areas.ts';
import { importCatalog, parseCatalogCsv } from '../catalog/catalog-import.ts';
import { findCaseStandards, importCaseStandards, parseCaseStandardsCsv } from '../catalog/case-standards.service.ts';
import { importComponents, parseComponentFeatures } from '../components/components.service.ts';
import { putCalendarYear } from '../calendar/calendar.service.ts';
import { TerritoryLocator } from '../territory/territory-locator.ts';
import { CalendarCache } from '../calendar/calendar.service.ts';
import { parseBeijingTime } from '../imports/beijing-time.ts';
import { workflowDeps } from '../cases/case-deps.ts';
import { importHistory } from '../cases/history/history-import.ts';
import { parseHistoryCsv, parseHistoryJsonl } from '../cases/history/history-records.ts';
import { runDepartmentReport, runEvaluate } from './evaluate-commands.ts';
import { rebuildKeptCounts } from '../indicators/kept-counts-version.ts';
import { BACKUP_COMMANDS } from '../backup/backup.commands.ts';
import { DiskAttachmentStore } from '../attachments/attachment-store.ts';
import { runIntegrityCheck, runIntegritySeal } from '../integrity/integrity-commands.ts';

export interface CommandInput {
  config: Config;
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
}

interface Command {
  summary: string;
  options?: ParseArgsOptionsConfig;
  run(input: CommandInput): Promise<number>;
}

async function withDatabase<T>(config: Config, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const handle = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(handle.db);
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

function fileArgument(input: CommandInput, what: string): string {
  const file = input.positionals[0];
  if (!file) throw new ValidationError([{ field: 'file', message: `name the ${what} file to import` }]);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError([{ field: 'file', message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
}

function jsonArgument(input: CommandInput, what: string): unknown {
  const text = fileArgument(input, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError([{ field: 'file', message: `${input.positionals[0]} is not valid JSON: ${(error as Error).message}` }]);
  }
}

function numberOption(text: unknown, field: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new ValidationError([{ field, message: 'must be a number of 0 or more' }]);
  return value;
}

function timeOption(text: unknown, field: string): number {
  const value = parseBeijingTime(String(text));
  if (value === null) throw new ValidationError([{ field, message: 'must be a time: YYYY-MM-DD HH:mm (Beijing) or ISO 8601 with an offset' }]);
  return value;
}

const report = (result: unknown) => {
  console.log(JSON.stringify(result, null, 2));
  return 0;
};

async function writeOut(out: string | undefined, chunks: AsyncIterable<string>): Promise<void> {
  const stream = out ? createWriteStream(out) : process.stdout;
  for await (const chunk of chunks) if (!stream.write(chunk)) await once(stream, 'drain');
  if (out) {
    (stream as ReturnType<typeof createWriteStream>).end();
    await once(stream, 'finish');
  }
}

export const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'run the HTTP server (PORT, default 8080)',
    options: { 'seed-demo-if-empty': { type: 'boolean' } },
    run: async ({ config, options }) => {
      await serve(config, { seedDemoIfEmpty: options['seed-demo-if-empty'] === true });
      return 0;
    },
  },
  migrate: {
    summary: 'apply every pending database migration',
    run: async ({ config }) => withDatabase(config, async () => report({ migrated: true })),
  },
  'seed demo': {
    summary: 'create the demo city and its year of cases (--seed N, --grids N, --cases-per-grid N, --history-until ISO; refuses a non-empty database)',
    options: { seed: { type: 'string' }, grids: { type: 'string' }, 'cases-per-grid': { type: 'string' }, 'history-until': { type: 'string' } },
    run: async ({ config, options }) => withDatabase(config, async (db) => {
      const { seedDemoCity } = await import('../demo/seed-demo.ts');
      const result = await seedDemoCity(db, {
        seed: options.seed ? Number(options.seed) : config.demoSeed,
        targetGrids: options.grids ? Number(options.grids) : config.demoScale,
        ...(options['cases-per-grid'] !== undefined ? { casesPerGridYear: numberOption(options['cases-per-grid'], 'cases-per-grid') } : {}),
        ...(options['history-until'] !== undefined ? { historyUntil: timeOption(options['history-until'], 'history-until') } : {}),
        log: (m) => console.error(m),
      });
      return report(result);
    }),
  },
  'import territory': {
    summary: 'import territory nodes from a GeoJSON file',
    run: async (input) => withDatabase(input.config, async (db) => report(await importTerritory(db, cliActor(), parseTerritoryFeatures(jsonArgument(input, 'GeoJSON'))))),
  },
  'import overlays': {
    summary: 'import responsibility overlays (路长/门前三包/责任区/考核网格) from GeoJSON',
    run: async (input) => withDatabase(input.config, async (db) => report(await importOverlays(db, cliActor(), parseOverlayFeatures(jsonArgument(input, 'GeoJSON'))))),
  },
  'import components': {
    summary: 'import the component inventory (部件) from GeoJSON points',
    run: async (input) => withDatabase(input.config, async (db) => report(await importComponents(db, new TerritoryLocator(db), cliActor(), parseComponentFeatures(jsonArgument(input, 'GeoJSON'))))),
  },
  'import catalog': {
    summary: 'import catalog classes from CSV (--version CODE --name NAME --no-activate)',
    options: { version: { type: 'string' }, name: { type: 'string' }, 'no-activate': { type: 'boolean' }, 'no-derive': { type: 'boolean' } },
    run: async (input) => withDatabase(input.config, async (db) => {
      const version = (input.options.version as string | undefined) ?? 'GBT47678.5-2026';
      return report(await importCatalog(db, cliActor(), parseCatalogCsv(fileArgument(input, 'CSV')), {
        versionCode: version, versionName: (input.options.name as string | undefined) ?? version, standard: 'GB/T 47678.5-2026',
        deriveComponentMatters: input.options['no-derive'] !== true, activate: input.options['no-activate'] !== true,
      }));
    }),
  },
  'import history': {
    summary: 'replay historical cases from an event log (.jsonl or .csv; docs/history-import.md), all or nothing',
    run: async (input) => withDatabase(input.config, async (db) => {
      const text = fileArgument(input, 'history log');
      const records = /\.jsonl$|\.ndjson$/i.test(input.positionals[0]!) ? parseHistoryJsonl(text) : parseHistoryCsv(text);
      const calendars = new CalendarCache(db);
      const locator = new TerritoryLocator(db);
      return report(await db.transaction().execute(async (trx) => importHistory(trx, await workflowDeps({ calendars, locator }, trx), cliActor(), records, Date.now())));
    }),
  },
  'import case-standards': {
    summary: 'import 立结案标准 rows from CSV',
    run: async (input) => withDatabase(input.config, async (db) => report(await importCaseStandards(db, cliActor(), parseCaseStandardsCsv(fileArgument(input, 'CSV'))))),
  },
  'import calendar': {
    summary: 'replace one year of a calendar from a JSON year file (--calendar CODE)',
    options: { calendar: { type: 'string' } },
    run: async (input) => withDatabase(input.config, async (db) => {
      const year = jsonArgument(input, 'calendar year') as CalendarYearFile;
      if (typeof year?.year !== 'number' || !Array.isArray(year.days)) throw new ValidationError([{ field: 'file', message: 'expected { year, status, source, days: [...] }' }]);
      await putCalendarYear(db, cliActor(), (input.options.calendar as string | undefined) ?? 'cn-mainland', year);
      return report({ calendar: input.options.calendar ?? 'cn-mainland', year: year.year, days: year.days.length });
    }),
  },
  'export territory': {
    summary: 'write territory as GeoJSON (--root CODE --levels district,street --out FILE)',
    options: { root: { type: 'string' }, levels: { type: 'string' }, out: { type: 'string' } },
    run: async ({ config, options }) => withDatabase(config, async (db) => {
      const levels = options.levels ? (String(options.levels).split(',') as TerritoryLevel[]) : null;
      await writeOut(options.out as string | undefined, exportTerritory(db, (options.root as string | undefined) ?? null, levels));
      return 0;
    }),
  },
  'export case-standards': {
    summary: 'write the 立结案标准 table as CSV (--out FILE)',
    options: { out: { type: 'string' } },
    run: async ({ config, options }) => withDatabase(config, async (db) => {
      const { items } = await findCaseStandards(db, { limit: 1_000_000, offset: 0 });
      const cell = (v: unknown) => (/[",\n]/.test(String(v ?? '')) ? `"${String(v).replaceAll('"', '""')}"` : String(v ?? ''));
      const lines = ['class_kind,class_code,class_name,territory_code,disposal,registration_condition,closing_condition,department_rule,urgency,limit'];
      const urgencyZh = { extra_urgent: '特急', urgent: '紧急', normal: '一般' } as const;
      for (const s of items) lines.push([s.classKind, s.classCode, s.className, s.territoryCode, s.disposal, s.registrationCondition, s.closingCondition, s.departmentRule, urgencyZh[s.urgency], s.limitLabel].map(cell).join(','));
      const text = `${lines.join('\n')}\n`;
      if (options.out) writeFileSync(String(options.out), text);
      else process.stdout.write(text);
      return 0;
    }),
  },
  evaluate: {
    summary: 'performance evaluation of a period: --period 2026-10 (default last month) --subject all|region|department|inspector|acceptor|shift_chief|dispatcher [--parent CODE] --format table|json',
    options: { period: { type: 'string' }, subject: { type: 'string' }, parent: { type: 'string' }, format: { type: 'string' } },
    run: async ({ config, options }) => withDatabase(config, async (db) => {
      process.stdout.write(await runEvaluate(db, options, Date.now()));
      return 0;
    }),
  },
  'report departments': {
    summary: 'the department report (半月通报/月报): --period 2026-10-H1 --format json|xlsx|pdf [--out FILE]',
    options: { period: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    run: async ({ config, options }) => withDatabase(config, async (db) => {
      const text = await runDepartmentReport(db, options, Date.now());
      if (text !== null) process.stdout.write(text);
      return 0;
    }),
  },
  'counts rebuild': {
    summary: 'rebuild the kept counts (per half-month and day) from the case records and forget the stored period counts: after records were changed outside the app',
    run: async ({ config }) => withDatabase(config, async (db) => {
      const started = performance.now();
      const families = await rebuildKeptCounts(db);
      const forgotten = await db.deleteFrom('period_cells').executeTakeFirst();
      const seconds = Math.round(performance.now() - started) / 1000;
      process.stdout.write(`rebuilt ${families.join(', ')} in ${seconds} s; ${Number(forgotten.numDeletedRows)} stored periods will be counted again\n`);
      return 0;
    }),
  },
  'integrity check': {
    summary: 'tamper evidence: walk the ledger, recompute every sealed result, finding, appeal and audit row, hash the photos; exit 3 on any difference (--anchor 12:<sha256>,… --format text|json)',
    options: { anchor: { type: 'string' }, format: { type: 'string' } },
    run: async ({ config, options }) => withDatabase(config, async (db) => {
      const { code, text } = await runIntegrityCheck(db, new DiskAttachmentStore(config.attachmentsDir), options);
      process.stdout.write(text);
      return code;
    }),
  },
  'integrity seal': {
    summary: 'seal the audit rows written since the last checkpoint, and published runs that have no seal (once, after an upgrade)',
    run: async ({ config }) => withDatabase(config, async (db) => {
      process.stdout.write(await runIntegritySeal(db, Date.now()));
      return 0;
    }),
  },
  'user create': {
    summary: 'create a user: --username U --name N --password P --role R [--territory CODE] [--department CODE]',
    options: { username: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, territory: { type: 'string' }, department: { type: 'string' } },
    run: async ({ config, options }) => withDatabase(config, async (db) => report({
      id: await createUser(db, cliActor(), {
        username: String(options.username ?? ''), displayName: String(options.name ?? options.username ?? ''), password: String(options.password ?? ''),
        grants: [{ role: String(options.role ?? ''), territoryCode: (options.territory as string | undefined) ?? null, departmentCode: (options.department as string | undefined) ?? null }],
      }),
    })),
  },
  'apikey create': {
    summary: 'issue an Open311 API key: --name N --client C (prints the key once)',
    options: { name: { type: 'string' }, client: { type: 'string' } },
    run: async ({ config, options }) => withDatabase(config, async (db) => {
      if (!options.name) throw new ValidationError([{ field: 'name', message: 'is required' }]);
      return report(await db.transaction().execute((trx) => createApiKey(trx, cliActor(), { name: String(options.name), client: String(options.client ?? options.name) })));
    }),
  },
  ...BACKUP_COMMANDS,
};
