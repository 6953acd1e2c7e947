// The rule sets of both points ledgers as versioned rows: each save is a new version with who, when and why,
// validated first (nothing is written on error, every issue names its field). Until a city saves its own,
// the shipped rules are version 0. Every entry records the version it was priced by.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { DEFAULT_CREDIT_RULES, validateCreditRules, type CreditRules } from '@cityops/domain/points/credit-rules';
import { DEFAULT_RESPONSIBILITY_RULES, validateResponsibilityRules, type ResponsibilityRules } from '@cityops/domain/points/responsibility-rules';
import { DEFAULT_CHECKLIST } from '@cityops/domain/evaluation/checklist';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { PointsLedger } from '../db/schema-points.ts';
import { activeCatalogVersionId } from '../catalog/catalog-import.ts';
import { notFound } from '../http/errors.ts';

export interface RulesOf { responsibility: ResponsibilityRules; credit: CreditRules }
export const LEDGERS: readonly PointsLedger[] = ['responsibility', 'credit'];
const DEFAULTS: RulesOf = { responsibility: DEFAULT_RESPONSIBILITY_RULES, credit: DEFAULT_CREDIT_RULES };

export interface StoredRules<L extends PointsLedger> {
  ledger: L;
  version: number;
  rules: RulesOf[L];
  savedAt: string | null;
  savedBy: string | null;
  reason: string | null;
}

export function assertLedger(code: string): PointsLedger {
  if (!(LEDGERS as readonly string[]).includes(code)) throw notFound(`points rule set ${code} (the rule sets are ${LEDGERS.join(', ')})`);
  return code as PointsLedger;
}

/** The newest version of a ledger's rules, or the shipped ones (version 0). */
export async function currentRules<L extends PointsLedger>(db: Executor, ledger: L): Promise<StoredRules<L>> {
  const row = await db.selectFrom('points_rule_sets as r').leftJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.version', 'r.definition', 'r.created_at', 'r.reason', 'u.display_name']).where('r.ledger', '=', ledger).orderBy('r.version', 'desc').limit(1).executeTakeFirst();
  if (!row) return { ledger, version: 0, rules: DEFAULTS[ledger], savedAt: null, savedBy: null, reason: null };
  return { ledger, version: row.version, rules: JSON.parse(row.definition) as RulesOf[L], savedAt: new Date(Number(row.created_at)).toISOString(), savedBy: row.display_name ?? null, reason: row.reason };
}

export async function ruleVersions(db: Executor, ledger: PointsLedger) {
  const rows = await db.selectFrom('points_rule_sets as r').leftJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.version', 'r.name', 'r.reason', 'r.created_at', 'u.display_name']).where('r.ledger', '=', ledger).orderBy('r.version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, name: r.name, reason: r.reason, savedAt: new Date(Number(r.created_at)).toISOString(), savedBy: r.display_name ?? null }));
}

/** Validates the rules (credit rules against the catalog and the checklist items) and stores them as the next version. */
export async function saveRules(db: Kysely<Database>, actor: Actor, ledger: PointsLedger, input: unknown, reason: string | null, now: number): Promise<StoredRules<PointsLedger>> {
  let issues: FieldIssue[];
  if (ledger === 'responsibility') issues = validateResponsibilityRules(input);
  else {
    const versionId = await activeCatalogVersionId(db);
    const classCodes = new Set((await db.selectFrom('catalog_classes').select('code').where('version_id', '=', versionId).execute()).map((c) => c.code));
    const itemCodes = new Set(DEFAULT_CHECKLIST.items.map((i) => i.code));
    for (const row of await db.selectFrom('checklist_standards').select('definition').execute()) {
      for (const item of (JSON.parse(row.definition) as { items: { code: string }[] }).items) itemCodes.add(item.code);
    }
    issues = validateCreditRules(input, { classCodes, itemCodes });
  }
  if (issues.length) throw new ValidationError(issues.map((i) => ({ ...i, field: `rules.${i.field}` })));
  const rules = input as RulesOf[PointsLedger];
  return db.transaction().execute(async (trx) => {
    const last = await trx.selectFrom('points_rule_sets').select((eb) => eb.fn.max('version').as('v')).where('ledger', '=', ledger).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    await trx.insertInto('points_rule_sets').values({ ledger, version, name: rules.name, definition: JSON.stringify(rules), reason, created_at: now, created_by: actor.kind === 'user' ? actor.id : null }).execute();
    await recordAudit(trx, actor, 'points_rules.save', { type: 'points_rule_set', ref: `${ledger}@${version}` }, { reason }, now);
    return currentRules(trx, ledger);
  });
}
