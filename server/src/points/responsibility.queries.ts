// Reads of the accumulated points within the caller's scope: a government reads the overlays of its territory
// and the units in it, a department the overlays it answers for and itself; the office and leaders (granted the
// city) read all. An open year's totals are sums of its entries; a closed year's are the frozen ones.
import type { Permission } from '@cityops/domain/access/permissions';
import { grantsFor, type Actor } from '@cityops/domain/access/scope';
import { ALERT_LEVELS, AREA_KINDS, DERIVED_EVENTS, ENTERED_EVENTS, type AlertLevel } from '@cityops/domain/points/responsibility-rules';
import { ValidationError } from '@cityops/domain/errors';
import { territoryScopes } from '../access/grant-scope.ts';
import type { Executor } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import { subjectKey } from './ledger.ts';
import { liveTotals, worstLevels } from './responsibility.service.ts';

export interface Scope { paths: string[]; departmentIds: number[] }

export function scopeOf(actor: Actor, permission: Permission): Scope {
  // A department's grant carries its department's node too (the city, for a city department): it answers
  // for its own overlays, not for every overlay of that territory (grant-scope.ts).
  return {
    paths: territoryScopes(actor, permission),
    departmentIds: grantsFor(actor, permission).flatMap((g) => (g.departmentId !== null ? [g.departmentId] : [])),
  };
}

const inPaths = (scope: Scope, path: string) => scope.paths.some((p) => path.startsWith(p));
const EVENT_NAMES: Record<string, { zh: string; en: string }> = { ...DERIVED_EVENTS, ...ENTERED_EVENTS };
const levelName = (level: string | null) => (level && Object.hasOwn(ALERT_LEVELS, level) ? { code: level, ...ALERT_LEVELS[level as AlertLevel] } : null);

async function yearTotals(db: Executor, year: number) {
  const closed = await db.selectFrom('points_years').select('closed_at').where('ledger', '=', 'responsibility').where('year', '=', year).executeTakeFirst();
  if (!closed) return { closedAt: null, totals: await liveTotals(db, year), levels: await worstLevels(db, 'responsibility', year) };
  const rows = await db.selectFrom('points_year_totals').selectAll().where('ledger', '=', 'responsibility').where('year', '=', year).execute();
  return {
    closedAt: new Date(Number(closed.closed_at)).toISOString(),
    totals: new Map(rows.map((r) => [subjectKey(r.subject_kind, Number(r.subject_id)), { total: Number(r.total), entries: Number(r.entries) }])),
    levels: new Map(rows.filter((r) => r.level !== null).map((r) => [subjectKey(r.subject_kind, Number(r.subject_id)), r.level!])),
  };
}

export async function areaTotals(db: Executor, scope: Scope, q: { year: number; kind?: string | undefined }) {
  let query = db.selectFrom('responsibility_areas as a').innerJoin('territory_nodes as t', 't.id', 'a.territory_node_id').leftJoin('departments as d', 'd.id', 'a.department_id')
    .select(['a.id', 'a.code', 'a.name', 'a.kind', 'a.responsible_person', 'a.department_id', 't.path', 't.code as territory_code', 't.name as territory_name', 'd.code as department_code', 'd.name as department_name'])
    .where('a.kind', 'in', q.kind ? [q.kind] : [...AREA_KINDS]);
  query = query.orderBy('a.code');
  const rows = (await query.execute()).filter((a) => inPaths(scope, a.path) || (a.department_id !== null && scope.departmentIds.includes(Number(a.department_id))));
  const { closedAt, totals, levels } = await yearTotals(db, q.year);
  const items = rows.map((a) => {
    const key = subjectKey('area', Number(a.id));
    const t = totals.get(key) ?? { total: 0, entries: 0 };
    return {
      code: a.code, name: a.name, kind: a.kind, responsiblePerson: a.responsible_person, territory: { code: a.territory_code, name: a.territory_name },
      unit: a.department_code ? { kind: 'department', code: a.department_code, name: a.department_name } : { kind: 'territory', code: a.territory_code, name: a.territory_name },
      total: t.total / 10, entries: t.entries, level: levelName(levels.get(key) ?? null),
    };
  });
  return { year: q.year, closedAt, items: items.sort((x, y) => x.total - y.total || x.code.localeCompare(y.code)) };
}

export async function unitTotals(db: Executor, scope: Scope, q: { year: number }) {
  const { closedAt, totals, levels } = await yearTotals(db, q.year);
  const areaUnits = await db.selectFrom('responsibility_areas').select(['department_id', 'territory_node_id']).where('kind', 'in', [...AREA_KINDS]).execute();
  const deptIds = new Set<number>();
  const nodeIds = new Set<number>();
  for (const a of areaUnits) (a.department_id !== null ? deptIds.add(Number(a.department_id)) : nodeIds.add(Number(a.territory_node_id)));
  for (const key of totals.keys()) {
    const [kind, id] = key.split(':') as [string, string];
    if (kind === 'department') deptIds.add(Number(id));
    if (kind === 'territory') nodeIds.add(Number(id));
  }
  const depts = deptIds.size ? await db.selectFrom('departments as d').innerJoin('territory_nodes as t', 't.id', 'd.territory_node_id').select(['d.id', 'd.code', 'd.name', 't.path']).where('d.id', 'in', [...deptIds]).execute() : [];
  const nodes = nodeIds.size ? await db.selectFrom('territory_nodes').select(['id', 'code', 'name', 'level', 'path']).where('id', 'in', [...nodeIds]).execute() : [];
  const item = (kind: 'department' | 'territory', id: number, code: string, name: string) => {
    const key = subjectKey(kind, id);
    const t = totals.get(key) ?? { total: 0, entries: 0 };
    return { kind, code, name, total: t.total / 10, entries: t.entries, level: levelName(levels.get(key) ?? null) };
  };
  const items = [
    ...depts.filter((d) => scope.departmentIds.includes(Number(d.id)) || inPaths(scope, d.path)).map((d) => item('department', Number(d.id), d.code, d.name)),
    ...nodes.filter((n) => inPaths(scope, n.path)).map((n) => item('territory', Number(n.id), n.code, n.name)),
  ];
  return { year: q.year, closedAt, items: items.sort((x, y) => x.total - y.total || x.code.localeCompare(y.code)) };
}

/** The subjects (area and unit keys) the scope may read, for filtering entries and alerts. */
async function visibleKeys(db: Executor, scope: Scope): Promise<Set<string>> {
  const keys = new Set<string>();
  const areas = await db.selectFrom('responsibility_areas as a').innerJoin('territory_nodes as t', 't.id', 'a.territory_node_id').select(['a.id', 'a.department_id', 't.path']).execute();
  for (const a of areas) if (inPaths(scope, a.path) || (a.department_id !== null && scope.departmentIds.includes(Number(a.department_id)))) keys.add(subjectKey('area', Number(a.id)));
  for (const d of await db.selectFrom('departments as d').innerJoin('territory_nodes as t', 't.id', 'd.territory_node_id').select(['d.id', 't.path']).execute()) {
    if (scope.departmentIds.includes(Number(d.id)) || inPaths(scope, d.path)) keys.add(subjectKey('department', Number(d.id)));
  }
  if (scope.paths.length) {
    for (const n of await db.selectFrom('territory_nodes').select(['id', 'path']).where('level', 'in', ['district', 'street']).execute()) if (inPaths(scope, n.path)) keys.add(subjectKey('territory', Number(n.id)));
  }
  return keys;
}

/**
 * The unit a ledger is asked for by its code (a department's or a street's or district's government), within
 * the reader's scope. The two kinds have their own codes, so `kind` is needed only when both carry the code.
 * A unit out of scope answers as an unknown one: its existence is not the reader's business.
 */
export async function unitInScope(db: Executor, scope: Scope, code: string, kind: 'department' | 'territory' | undefined): Promise<{ kind: 'department' | 'territory'; id: number }> {
  const found: { kind: 'department' | 'territory'; id: number }[] = [];
  if (kind !== 'territory') {
    const d = await db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirst();
    if (d) found.push({ kind: 'department', id: Number(d.id) });
  }
  if (kind !== 'department') {
    const n = await db.selectFrom('territory_nodes').select('id').where('code', '=', code).where('level', 'in', ['district', 'street']).executeTakeFirst();
    if (n) found.push({ kind: 'territory', id: Number(n.id) });
  }
  if (found.length > 1) throw new ValidationError([{ field: 'unitKind', message: `both a department and a government are coded ${code}: say which (department or territory)` }]);
  const keys = found.length ? await visibleKeys(db, scope) : new Set<string>();
  if (!found[0] || !keys.has(subjectKey(found[0].kind, found[0].id))) throw new HttpError(404, 'not_found', `unit: no unit ${code} in your scope`);
  return found[0];
}

export async function listEntries(db: Executor, scope: Scope, q: { year: number; areaCode?: string | undefined; unit?: { kind: 'department' | 'territory'; id: number } | undefined; event?: string | undefined; limit: number; offset: number }) {
  let query = db.selectFrom('points_entries as e').leftJoin('responsibility_areas as a', (j) => j.onRef('a.id', '=', 'e.subject_id').on('e.subject_kind', '=', 'area'))
    .select(['e.id', 'e.subject_kind', 'e.subject_id', 'e.unit_kind', 'e.unit_id', 'e.event', 'e.points', 'e.occurred_at', 'e.source_ref', 'e.reason', 'e.evidence', 'e.reverses_id', 'e.rule_version', 'e.recorded_at', 'e.recorded_by_name', 'a.code as area_code', 'a.name as area_name', 'a.kind as area_kind'])
    .where('e.ledger', '=', 'responsibility').where('e.year', '=', q.year);
  if (q.areaCode) query = query.where('a.code', '=', q.areaCode);
  // A unit's ledger: what counts in its total, the entries of its overlays and those given to it directly.
  if (q.unit) query = query.where('e.unit_kind', '=', q.unit.kind).where('e.unit_id', '=', q.unit.id);
  if (q.event) query = query.where('e.event', '=', q.event);
  const keys = await visibleKeys(db, scope);
  const rows = (await query.orderBy('e.occurred_at', 'desc').orderBy('e.id', 'desc').execute())
    .filter((e) => keys.has(subjectKey(e.subject_kind, Number(e.subject_id))) || (e.unit_kind !== null && keys.has(subjectKey(e.unit_kind, Number(e.unit_id)))));
  const reversed = new Set(rows.filter((r) => r.reverses_id !== null).map((r) => Number(r.reverses_id)));
  return {
    total: rows.length,
    items: rows.slice(q.offset, q.offset + q.limit).map((e) => ({
      id: Number(e.id), event: e.event, eventName: EVENT_NAMES[e.event] ?? null, points: e.points / 10, occurredAt: new Date(Number(e.occurred_at)).toISOString(),
      area: e.area_code ? { code: e.area_code, name: e.area_name, kind: e.area_kind } : null, subject: { kind: e.subject_kind, id: Number(e.subject_id) },
      source: e.source_ref, reason: e.reason, evidence: e.evidence ? (JSON.parse(e.evidence) as number[]) : [], reverses: e.reverses_id === null ? null : Number(e.reverses_id),
      reversed: reversed.has(Number(e.id)), ruleVersion: e.rule_version, recordedAt: new Date(Number(e.recorded_at)).toISOString(), recordedBy: e.recorded_by_name,
    })),
  };
}

export async function listAlerts(db: Executor, scope: Scope, q: { year: number }) {
  const keys = await visibleKeys(db, scope);
  const rows = await db.selectFrom('points_alerts').selectAll().where('ledger', '=', 'responsibility').where('year', '=', q.year).orderBy('crossed_at').orderBy('id').execute();
  const visible = rows.filter((r) => keys.has(subjectKey(r.subject_kind, Number(r.subject_id))));
  const areaIds = visible.filter((r) => r.subject_kind === 'area').map((r) => Number(r.subject_id));
  const deptIds = visible.filter((r) => r.subject_kind === 'department').map((r) => Number(r.subject_id));
  const nodeIds = visible.filter((r) => r.subject_kind === 'territory').map((r) => Number(r.subject_id));
  const names = new Map<string, { code: string; name: string }>();
  if (areaIds.length) for (const a of await db.selectFrom('responsibility_areas').select(['id', 'code', 'name']).where('id', 'in', areaIds).execute()) names.set(subjectKey('area', Number(a.id)), a);
  if (deptIds.length) for (const d of await db.selectFrom('departments').select(['id', 'code', 'name']).where('id', 'in', deptIds).execute()) names.set(subjectKey('department', Number(d.id)), d);
  if (nodeIds.length) for (const n of await db.selectFrom('territory_nodes').select(['id', 'code', 'name']).where('id', 'in', nodeIds).execute()) names.set(subjectKey('territory', Number(n.id)), n);
  return {
    year: q.year,
    items: visible.map((r) => ({
      id: Number(r.id), subjectKind: r.subject_kind, subject: names.get(subjectKey(r.subject_kind, Number(r.subject_id))) ?? null, level: levelName(r.level),
      total: r.total / 10, threshold: r.threshold / 10, crossedAt: new Date(Number(r.crossed_at)).toISOString(), entryId: Number(r.entry_id),
    })),
  };
}

export async function listYears(db: Executor) {
  const rows = await db.selectFrom('points_years').selectAll().orderBy('year', 'desc').execute();
  return rows.map((r) => ({ ledger: r.ledger, year: r.year, closedAt: new Date(Number(r.closed_at)).toISOString(), closedBy: r.closed_by_name, ruleVersion: r.rule_version }));
}
