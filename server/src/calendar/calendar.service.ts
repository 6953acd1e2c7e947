import type { Kysely } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { compileWorkCalendar, type WorkCalendar } from '@cityops/domain/calendar/work-calendar';
import { validateCalendarDefinition, type CalendarYearFile, type TimetablePeriod, type WorkCalendarDefinition } from '@cityops/domain/calendar/calendar-definition';
import { ValidationError } from '@cityops/domain/errors';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../audit/audit.ts';
import { HttpError, notFound } from '../http/errors.ts';

export async function loadCalendarDefinition(db: Executor, code?: string): Promise<WorkCalendarDefinition & { id: number; updatedAt: number }> {
  let query = db.selectFrom('work_calendars').selectAll();
  query = code ? query.where('code', '=', code) : query.where('is_default', '=', 1);
  const cal = await query.executeTakeFirst();
  if (!cal) throw notFound(code ? `calendar ${code}` : 'default calendar');
  const [years, days] = await Promise.all([
    db.selectFrom('calendar_years').select(['year', 'status', 'source']).where('calendar_id', '=', cal.id).orderBy('year').execute(),
    db.selectFrom('calendar_days').select(['date', 'kind', 'name']).where('calendar_id', '=', cal.id).orderBy('date').execute(),
  ]);
  return {
    id: cal.id, updatedAt: cal.updated_at, code: cal.code, name: cal.name, timezone: cal.timezone,
    timetable: JSON.parse(cal.timetable) as TimetablePeriod[], weekendDays: JSON.parse(cal.weekend_days) as number[], years, days,
  };
}

/** Compiled calendars, rebuilt when the stored calendar changes (its updated_at moves on every edit). */
export class CalendarCache {
  readonly #db: Kysely<Database>;
  readonly #compiled = new Map<string, { updatedAt: number; calendar: WorkCalendar }>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** `db`: the caller's transaction, if any; on SQLite a query on the root handle would wait for it forever. */
  async get(code?: string, db: Executor = this.#db): Promise<WorkCalendar> {
    const key = code ?? '';
    let query = db.selectFrom('work_calendars').select(['code', 'updated_at']);
    query = code ? query.where('code', '=', code) : query.where('is_default', '=', 1);
    const head = await query.executeTakeFirst();
    if (!head) throw notFound(code ? `calendar ${code}` : 'default calendar');
    const cached = this.#compiled.get(key);
    if (cached && cached.updatedAt === head.updated_at) return cached.calendar;
    const definition = await loadCalendarDefinition(db, head.code);
    const calendar = compileWorkCalendar(definition);
    this.#compiled.set(key, { updatedAt: definition.updatedAt, calendar });
    return calendar;
  }
}

function validateOrThrow(definition: WorkCalendarDefinition): void {
  const errors = validateCalendarDefinition(definition);
  if (errors.length) throw new ValidationError(errors);
}

export async function createCalendar(
  db: Kysely<Database>, actor: Actor, input: { code: string; name: string; timezone: string; timetable: TimetablePeriod[]; weekendDays: number[]; isDefault: boolean; years: CalendarYearFile[] },
  now = Date.now(),
): Promise<number> {
  validateOrThrow({ ...input, years: input.years.map(({ days: _d, ...y }) => y), days: input.years.flatMap((y) => y.days) });
  return db.transaction().execute(async (trx) => {
    if (input.isDefault) await trx.updateTable('work_calendars').set({ is_default: 0 }).execute();
    const { id } = await trx.insertInto('work_calendars').values({
      code: input.code, name: input.name, timezone: input.timezone, timetable: JSON.stringify(input.timetable), weekend_days: JSON.stringify(input.weekendDays),
      is_default: input.isDefault ? 1 : 0, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    for (const year of input.years) await writeYear(trx, id, year);
    await recordAudit(trx, actor, 'calendar.create', { type: 'calendar', ref: input.code }, { years: input.years.map((y) => y.year) }, now);
    return id;
  });
}

async function writeYear(db: Executor, calendarId: number, year: CalendarYearFile): Promise<void> {
  await db.deleteFrom('calendar_days').where('calendar_id', '=', calendarId).where('date', 'like', `${year.year}-%`).execute();
  await db.deleteFrom('calendar_years').where('calendar_id', '=', calendarId).where('year', '=', year.year).execute();
  await db.insertInto('calendar_years').values({ calendar_id: calendarId, year: year.year, status: year.status, source: year.source }).execute();
  if (year.days.length) await db.insertInto('calendar_days').values(year.days.map((d) => ({ calendar_id: calendarId, date: d.date, kind: d.kind, name: d.name }))).execute();
}

/** Replaces one year's holidays and adjusted working days, e.g. when the State Council notice is published. */
export async function putCalendarYear(db: Kysely<Database>, actor: Actor, code: string, year: CalendarYearFile, now = Date.now(), expectedUpdatedAt?: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await loadCalendarDefinition(trx, code);
    if (expectedUpdatedAt !== undefined && expectedUpdatedAt !== current.updatedAt) {
      throw new HttpError(409, 'stale_version', `calendar ${code} was changed by someone else since you loaded it; reload it and make the change again`, [{ field: 'expectedUpdatedAt', message: 'the calendar has changed' }]);
    }
    const otherYears = current.years.filter((y) => y.year !== year.year);
    const candidate: WorkCalendarDefinition = {
      ...current,
      years: [...otherYears, { year: year.year, status: year.status, source: year.source }].sort((a, b) => a.year - b.year),
      // The new year's days first, so that a validation error's index is the index in the caller's list.
      days: [...year.days, ...current.days.filter((d) => !d.date.startsWith(`${year.year}-`))],
    };
    validateOrThrow(candidate);
    await writeYear(trx, current.id, year);
    await trx.updateTable('work_calendars').set({ updated_at: Math.max(now, current.updatedAt + 1) }).where('id', '=', current.id).execute();
    await recordAudit(trx, actor, 'calendar.year', { type: 'calendar', ref: `${code}/${year.year}` }, { status: year.status, source: year.source, days: year.days.length }, now);
  });
}

export async function updateCalendarSettings(
  db: Kysely<Database>, actor: Actor, code: string, patch: { name?: string; timezone?: string; timetable?: TimetablePeriod[]; weekendDays?: number[] }, now = Date.now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await loadCalendarDefinition(trx, code);
    validateOrThrow({ ...current, ...patch });
    await trx.updateTable('work_calendars').set({
      updated_at: Math.max(now, current.updatedAt + 1),
      ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
      ...(patch.timetable !== undefined ? { timetable: JSON.stringify(patch.timetable) } : {}),
      ...(patch.weekendDays !== undefined ? { weekend_days: JSON.stringify(patch.weekendDays) } : {}),
    }).where('id', '=', current.id).execute();
    await recordAudit(trx, actor, 'calendar.update', { type: 'calendar', ref: code }, patch, now);
  });
}
