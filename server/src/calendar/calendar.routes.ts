import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { computeDeadline, elapsedFraction, trafficLight } from '@cityops/domain/calendar/deadlines';
import { TIME_LIMIT_UNITS, validateTimeLimit, type TimeLimit } from '@cityops/domain/calendar/time-limits';
import { ValidationError } from '@cityops/domain/errors';
import type { AppContext } from '../http/context.ts';
import { loadCalendarDefinition, putCalendarYear, updateCalendarSettings } from './calendar.service.ts';

const tags = ['calendar'];
const Period = Type.Object({ start: Type.String({ pattern: '^\\d{2}:\\d{2}$' }), end: Type.String({ pattern: '^\\d{2}:\\d{2}$' }) });
const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 with a time zone, e.g. 2026-09-30T17:00:00+08:00' });
const Day = Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]), name: Type.String({ minLength: 1, maxLength: 40 }) });

function instant(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!/([zZ]|[+-]\d{2}:?\d{2})$/.test(value) || Number.isNaN(ms)) throw new ValidationError([{ field, message: 'must be an ISO 8601 instant with a time zone' }]);
  return ms;
}

export async function calendarRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/calendars', { config: { access: 'calendar.read' }, schema: { tags, summary: 'Work calendars with timetable, weekend and loaded years' } }, async () => {
    const rows = await ctx.db.selectFrom('work_calendars').select(['code', 'is_default']).orderBy('code').execute();
    const items = [];
    for (const { code, is_default } of rows) {
      const d = await loadCalendarDefinition(ctx.db, code);
      items.push({ code: d.code, name: d.name, timezone: d.timezone, timetable: d.timetable, weekendDays: d.weekendDays, years: d.years, isDefault: is_default === 1 });
    }
    return { items, units: TIME_LIMIT_UNITS };
  });

  app.get('/api/calendars/:code/days', {
    config: { access: 'calendar.read' },
    schema: { tags, summary: 'Holidays and adjusted working days (调休) of a year', params: Type.Object({ code: Type.String() }), querystring: Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2999 }) }) },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const { year } = request.query as { year: number };
    const d = await loadCalendarDefinition(ctx.db, code);
    // updatedAt: the calendar's version, sent back with a change so that two editors cannot overwrite each other unseen.
    return { year, loaded: d.years.find((y) => y.year === year) ?? null, items: d.days.filter((x) => x.date.startsWith(`${year}-`)), updatedAt: d.updatedAt };
  });

  app.put('/api/calendars/:code/years/:year', {
    config: { access: 'calendar.write' },
    schema: {
      tags, summary: "Replace one year's holidays and adjusted working days",
      params: Type.Object({ code: Type.String(), year: Type.Integer({ minimum: 1900, maximum: 2999 }) }),
      body: Type.Object({
        status: Type.Union([Type.Literal('official'), Type.Literal('provisional')]), source: Type.String({ minLength: 1, maxLength: 300 }), days: Type.Array(Day, { maxItems: 366 }),
        expectedUpdatedAt: Type.Optional(Type.Integer({ description: 'the calendar version (updatedAt of GET …/days) the change was made on; a newer one answers 409 stale_version' })),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { code, year } = request.params as { code: string; year: number };
    const { expectedUpdatedAt, ...body } = request.body as { status: 'official' | 'provisional'; source: string; days: { date: string; kind: 'holiday' | 'workday'; name: string }[]; expectedUpdatedAt?: number };
    const outside = body.days.findIndex((d) => !d.date.startsWith(`${year}-`));
    if (outside >= 0) throw new ValidationError([{ field: `days[${outside}].date`, message: `must be in ${year}` }]);
    await putCalendarYear(ctx.db, request.actor, code, { year, ...body }, Date.now(), expectedUpdatedAt);
    return { ok: true };
  });

  app.patch('/api/calendars/:code', {
    config: { access: 'calendar.write' },
    schema: {
      tags, summary: 'Change the timetable, weekend days, time zone or name',
      params: Type.Object({ code: Type.String() }),
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })), timezone: Type.Optional(Type.String()), timetable: Type.Optional(Type.Array(Period, { minItems: 1, maxItems: 6 })), weekendDays: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7 })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    await updateCalendarSettings(ctx.db, request.actor, (request.params as { code: string }).code, request.body as Parameters<typeof updateCalendarSettings>[3]);
    return { ok: true };
  });

  app.post('/api/calendars/:code/deadline', {
    config: { access: 'calendar.read' },
    schema: {
      tags, summary: 'Deadline arithmetic: start + limit on this calendar, with pauses (挂账); optional traffic light at `now`',
      params: Type.Object({ code: Type.String() }),
      body: Type.Object({
        start: Instant,
        limit: Type.Object({ value: Type.Number(), unit: Type.Union(TIME_LIMIT_UNITS.map((u) => Type.Literal(u.unit))) }),
        pauses: Type.Optional(Type.Array(Type.Object({ from: Instant, to: Type.Union([Instant, Type.Null()]) }), { maxItems: 50 })),
        now: Type.Optional(Instant),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const body = request.body as { start: string; limit: TimeLimit; pauses?: { from: string; to: string | null }[]; now?: string };
    const limitErrors = validateTimeLimit(body.limit, 'body.limit');
    if (limitErrors.length) throw new ValidationError(limitErrors);
    const calendar = await ctx.calendars.get(code);
    const start = instant(body.start, 'body.start');
    const pauses = (body.pauses ?? []).map((p, i) => ({ fromMs: instant(p.from, `body.pauses[${i}].from`), toMs: p.to === null ? null : instant(p.to, `body.pauses[${i}].to`) }));
    // The clock's arithmetic refuses a pause that ends before it starts (a RangeError, answered 500 before).
    const backwards = pauses.findIndex((p) => p.toMs !== null && p.toMs < p.fromMs);
    if (backwards >= 0) throw new ValidationError([{ field: `body.pauses[${backwards}].to`, message: 'must not be before from' }]);
    const { dueAtMs } = computeDeadline(calendar, start, body.limit, pauses);
    const result: Record<string, unknown> = { dueAt: dueAtMs === null ? null : new Date(dueAtMs).toISOString(), dueAtMs, paused: dueAtMs === null };
    if (body.now) {
      const fraction = elapsedFraction(calendar, start, body.limit, pauses, instant(body.now, 'body.now'));
      result.elapsedFraction = Math.round(fraction * 10000) / 10000;
      result.trafficLight = trafficLight(fraction);
    }
    return result;
  });
}
