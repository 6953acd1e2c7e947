// The public portal's reports (公众举报): anyone reports a problem with a point on the map and a photo,
// without an account; the report enters the workflow as a public web report (source public_web, to be
// verified on site), and the reporter gets the request number and a tracking key, shown once. Anyone
// follows a report by its number (public fields only: never who reported it); the holder of the key
// rates the outcome once the case is closed, as the workflow's satisfaction step.
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import { CASE_STATES, type CaseState } from '@cityops/domain/workflow/case-states';
import { CASE_SOURCES, SATISFACTION_LEVELS, type CaseSource } from '@cityops/domain/workflow/case-sources';
import { TRANSITIONS } from '@cityops/domain/workflow/transitions';
import { HttpError, notFound } from '../http/errors.ts';
import type { AppContext } from '../http/context.ts';
import { hashSecret, newSecret } from '../access/tokens.ts';
import { claimAttachments, storeUpload } from '../attachments/attachments.service.ts';
import { workflowDeps } from '../cases/case-deps.ts';
import { intakeCase } from '../cases/case-intake.ts';
import { applyTransition } from '../cases/case-transitions.ts';
import { coreStatus } from '../open311/open311-status.ts';
import { publicCase } from '../cases/cases.queries.ts';

export interface PortalReport {
  classCode: string;
  description: string;
  lon: number;
  lat: number;
  address?: string | undefined;
  name?: string | undefined;
  phone?: string | undefined;
  /** A photo, base64-encoded: the report and its photo are one request, so nothing is left half-made. */
  photo?: { data: string; type?: string | undefined } | undefined;
}

const PORTAL_REPORTER: Actor = { kind: 'anonymous', id: null, name: '公众(门户)', grants: [{ role: 'public', territoryPath: null, departmentId: null }] };

export async function submitReport(ctx: AppContext, input: PortalReport, now: number, actor?: Actor): Promise<{ code: string; trackingKey: string; state: string }> {
  // A signed-in citizen reports as themselves, so the report is among their own (我的上报); anyone else as the portal.
  const reporter = actor?.kind === 'user' && actor.grants.some((g) => g.role === 'public') ? actor : PORTAL_REPORTER;
  const issues: FieldIssue[] = [];
  let bytes: Buffer | null = null;
  if (input.photo) {
    bytes = Buffer.from(input.photo.data, 'base64');
    if (bytes.byteLength === 0) issues.push({ field: 'photo.data', message: 'is not a base64-encoded image' });
  }
  if (input.phone !== undefined && input.phone.trim() !== '' && !/^[0-9+\- ]{5,20}$/.test(input.phone.trim())) issues.push({ field: 'phone', message: 'must be a phone number' });
  if (issues.length) throw new ValidationError(issues);
  const trackingKey = newSecret('trk');
  const result = await ctx.db.transaction().execute(async (trx) => {
    // The report first and its photo after: the bytes reach the store only once the report is taken, so a report
    // refused for its class or place leaves no file behind (the fuzz tests found one left before).
    const created = await intakeCase(trx, await workflowDeps(ctx, trx), reporter, {
      source: 'public_web', classCode: input.classCode, description: input.description, lon: input.lon, lat: input.lat, address: input.address,
      reporter: { name: input.name?.trim() || undefined, phone: input.phone?.trim() || undefined },
    }, now, { trustedSource: true });
    if (bytes) {
      const photo = await storeUpload(trx, ctx.attachments, reporter, { bytes, declaredType: input.photo!.type ?? null, originalName: 'photo' }, { maxBytes: ctx.attachmentMaxBytes }, now);
      const report = await trx.selectFrom('case_events').select('id').where('case_id', '=', created.caseId).orderBy('seq').executeTakeFirstOrThrow();
      await claimAttachments(trx, reporter, [photo.id], created.caseId, Number(report.id));
    }
    await trx.insertInto('public_report_keys').values({ case_id: created.caseId, key_hash: hashSecret(trackingKey) }).execute();
    return created;
  });
  return { code: result.code, trackingKey, state: result.state };
}

const LABELS = new Map<string, { zh: string; en: string }>([['report', { zh: '上报', en: 'Reported' }], ...TRANSITIONS.map((t) => [t.action, { zh: t.zh, en: t.en }] as [string, { zh: string; en: string }])]);
/** The steps whose reason the reporter is told: why a report was not taken up or was voided. */
const EXPLAINED = new Set(['reject', 'verify_refute', 'void']);

/** What anyone may see of a report: the public projection of the case, how far it has come, whether its reporter may rate it; never who reported it. */
export async function publicReport(ctx: AppContext, code: string) {
  const [base, c] = await Promise.all([
    publicCase(ctx.db, code),
    ctx.db.selectFrom('cases').select(['id', 'state', 'source', 'rated_at']).where('code', '=', code).executeTakeFirst(),
  ]);
  if (!base || !c) throw notFound(`case ${code}`);
  const events = await ctx.db.selectFrom('case_events').select(['action', 'at', 'reason']).where('case_id', '=', c.id).orderBy('seq').execute();
  const state = CASE_STATES[c.state as CaseState];
  return {
    ...base, status: coreStatus(c.state), stateName: { zh: state?.zh ?? c.state, en: state?.en ?? c.state },
    steps: events.map((e) => ({ at: new Date(Number(e.at)).toISOString(), action: e.action, label: LABELS.get(e.action) ?? { zh: e.action, en: e.action }, reason: EXPLAINED.has(e.action) ? e.reason : null })),
    canRate: c.state === 'closed' && c.rated_at === null && CASE_SOURCES[c.source as CaseSource]?.fromPublic === true,
  };
}

/** The reporter's own rating of a closed report, with the key given at reporting; once. */
export async function rateReport(ctx: AppContext, code: string, input: { trackingKey: string; satisfaction: string }, now: number): Promise<void> {
  if (!Object.hasOwn(SATISFACTION_LEVELS, input.satisfaction)) throw new ValidationError([{ field: 'satisfaction', message: `must be one of ${Object.keys(SATISFACTION_LEVELS).join(', ')}` }]);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cases as c').innerJoin('public_report_keys as k', 'k.case_id', 'c.id').select(['c.id', 'c.territory_path', 'k.key_hash']).where('c.code', '=', code).executeTakeFirst();
    // A wrong key answers like an unknown report: whether a number exists with a key is nobody's business.
    if (!row || row.key_hash !== hashSecret(input.trackingKey)) throw new HttpError(404, 'not_found', `no report ${code} with this tracking key`);
    // The reporter acts as the public on exactly this report's place, which the workflow table lets rate.
    const reporter: Actor = { kind: 'anonymous', id: null, name: '举报人(门户评价)', grants: [{ role: 'public', territoryPath: row.territory_path, departmentId: null }] };
    await applyTransition(trx, await workflowDeps(ctx, trx), reporter, row.id, 'rate', { satisfaction: input.satisfaction as never }, now);
  });
}
