import type { FastifyInstance } from 'fastify';
import { activateCatalogVersion } from './catalog-activation.ts';
import { Type } from '@fastify/type-provider-typebox';
import { classCodeIssues } from '@cityops/domain/catalog/classes';
import { ValidationError } from '@cityops/domain/errors';
import { TIME_LIMIT_UNITS } from '@cityops/domain/calendar/time-limits';
import type { AppContext } from '../http/context.ts';
import { Paging } from '../http/schemas.ts';
import { conflict, notFound } from '../http/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { activeCatalogVersionId, importCatalog, parseCatalogCsv } from './catalog-import.ts';
import { findCaseStandards, importCaseStandards, parseCaseStandardsCsv, updateCaseStandard, type CaseStandardInput } from './case-standards.service.ts';
import { textContains, textStartsWith } from '../db/text-match.ts';

const tags = ['catalog'];
const CsvBody = Type.String({ description: 'CSV text (Content-Type: text/csv)', maxLength: 20 * 1024 * 1024 });

export async function catalogRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/catalog/versions', { config: { access: 'catalog.read' }, schema: { tags, summary: 'Catalog versions (one active)' } }, async () => {
    const rows = await ctx.db.selectFrom('catalog_versions').selectAll().orderBy('id').execute();
    return { items: rows.map((r) => ({ id: r.id, code: r.code, name: r.name, standard: r.standard, status: r.status, createdAt: r.created_at, activatedAt: r.activated_at })) };
  });

  app.post('/api/catalog/versions/:code/activate', {
    config: { access: 'catalog.write' },
    schema: {
      tags, summary: 'Put a catalog version in use (启用): the 立结案标准 and the components move to its classes of the same codes; what has no counterpart is reported',
      params: Type.Object({ code: Type.String({ maxLength: 60 }) }),
    },
  }, async (request) => {
    const { code } = request.params as { code: string };
    return ctx.db.transaction().execute(async (trx) => {
      const version = await trx.selectFrom('catalog_versions').select(['id', 'status']).where('code', '=', code).executeTakeFirst();
      if (!version) throw notFound(`catalog version ${code}`);
      return activateCatalogVersion(trx, request.actor, Number(version.id), Date.now());
    });
  });

  app.get('/api/catalog/classes', {
    config: { access: 'catalog.read' },
    schema: {
      tags, summary: 'Classes (部件 components and 事项 matters) of the active catalog',
      querystring: Type.Object({
        kind: Type.Optional(Type.Union([Type.Literal('component'), Type.Literal('matter')])), major: Type.Optional(Type.String({ pattern: '^\\d{2}$' })),
        q: Type.Optional(Type.String({ maxLength: 50 })), ...Paging,
      }),
    },
  }, async (request) => {
    const q = request.query as { kind?: 'component' | 'matter'; major?: string; q?: string; limit: number; offset: number };
    const versionId = await activeCatalogVersionId(ctx.db);
    let query = ctx.db.selectFrom('catalog_classes').where('version_id', '=', versionId);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.major) query = query.where('major_code', '=', q.major);
    const text = q.q;
    if (text) query = query.where((eb) => eb.or([textContains(ctx.db, 'name', text), textStartsWith(ctx.db, 'code', text)]));
    const [{ total }] = (await query.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [{ total: number }];
    const rows = await query.selectAll().orderBy('kind').orderBy('code').limit(q.limit).offset(q.offset).execute();
    return {
      total: Number(total),
      items: rows.map((r) => ({
        id: r.id, kind: r.kind, majorCode: r.major_code, majorName: r.major_name, code: r.code, name: r.name, origin: r.origin,
        componentCode: r.component_code, sourceNote: r.source_note, active: r.active === 1,
      })),
    };
  });

  app.post('/api/catalog/classes', {
    config: { access: 'catalog.write' },
    schema: {
      tags, summary: 'Add a local extension class (扩展类) to the active catalog',
      body: Type.Object({
        kind: Type.Union([Type.Literal('component'), Type.Literal('matter')]), majorCode: Type.String(), majorName: Type.String({ minLength: 1, maxLength: 40 }),
        code: Type.String(), name: Type.String({ minLength: 1, maxLength: 60 }), sourceNote: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const body = request.body as { kind: 'component' | 'matter'; majorCode: string; majorName: string; code: string; name: string; sourceNote?: string };
    const issues = classCodeIssues(body).map((i) => ({ ...i, field: i.field === 'major_code' ? 'majorCode' : i.field }));
    if (issues.length) throw new ValidationError(issues);
    const now = Date.now();
    const id = await ctx.db.transaction().execute(async (trx) => {
      const versionId = await activeCatalogVersionId(trx);
      const clash = await trx.selectFrom('catalog_classes').select('name').where('version_id', '=', versionId).where('kind', '=', body.kind).where('code', '=', body.code).executeTakeFirst();
      if (clash) throw conflict(`${body.kind} ${body.code} already exists (${clash.name})`, [{ field: 'code', message: 'is taken' }]);
      const row = await trx.insertInto('catalog_classes').values({
        version_id: versionId, kind: body.kind, major_code: body.majorCode, major_name: body.majorName, code: body.code, name: body.name.trim(),
        origin: 'extension', component_code: null, source_note: body.sourceNote ?? '本地扩展类', active: 1,
      }).returning('id').executeTakeFirstOrThrow();
      await recordAudit(trx, request.actor, 'catalog.extend', { type: 'catalog_class', ref: `${body.kind}:${body.code}` }, body, now);
      return row.id;
    });
    void reply.status(201);
    return { id };
  });

  app.patch('/api/catalog/classes/:id', {
    config: { access: 'catalog.write' },
    schema: {
      tags, summary: 'Rename or (de)activate a class; classes are never deleted because cases refer to them',
      params: Type.Object({ id: Type.Integer() }),
      // At least one field: an empty change made an UPDATE without a SET (a 500).
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
    },
  }, async (request) => {
    const { id } = request.params as { id: number };
    const body = request.body as { name?: string; active?: boolean };
    await ctx.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('catalog_classes').select(['name', 'active']).where('id', '=', id).executeTakeFirst();
      if (!current) throw notFound(`catalog class ${id}`);
      await trx.updateTable('catalog_classes').set({
        ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
      }).where('id', '=', id).execute();
      await recordAudit(trx, request.actor, 'catalog.update', { type: 'catalog_class', ref: id }, { before: current, after: body });
    });
    return { ok: true };
  });

  app.post('/api/catalog/import', {
    config: { access: 'catalog.write' },
    schema: {
      tags, summary: 'Import catalog classes from CSV into a version (all or nothing)',
      description: 'Columns: kind, major_code, major_name, code, name[, source_note, origin]. Errors name the line and column.',
      querystring: Type.Object({
        version: Type.String({ minLength: 1, maxLength: 40, default: 'GBT47678.5-2026' }), name: Type.Optional(Type.String({ maxLength: 80 })),
        standard: Type.Optional(Type.String({ maxLength: 80 })), derive: Type.Boolean({ default: true }), activate: Type.Boolean({ default: true }),
      }),
      body: CsvBody,
    },
  }, async (request) => {
    const q = request.query as { version: string; name?: string; standard?: string; derive: boolean; activate: boolean };
    return importCatalog(ctx.db, request.actor, parseCatalogCsv(request.body as string), {
      versionCode: q.version, versionName: q.name ?? q.version, standard: q.standard ?? 'GB/T 47678.5-2026', deriveComponentMatters: q.derive, activate: q.activate,
    });
  });

  app.get('/api/case-standards', {
    config: { access: 'catalog.read' },
    schema: { tags, summary: '立结案标准: registration and closing conditions, department rule, urgency and time limit per class', querystring: Type.Object({ classCode: Type.Optional(Type.String()), ...Paging }) },
  }, async (request) => findCaseStandards(ctx.db, request.query as { classCode?: string; limit: number; offset: number }));

  app.post('/api/case-standards/import', {
    config: { access: 'case_standard.write' },
    schema: {
      tags, summary: 'Import 立结案标准 rows from CSV (upsert by class, territory and disposal; all or nothing)',
      description: 'Columns: class_kind, class_code, territory_code, disposal, registration_condition, closing_condition, department_rule, urgency (特急/紧急/一般), limit (e.g. "4 工作时", "15 工作日", "1 紧急工作时").',
      body: CsvBody,
    },
  }, async (request) => importCaseStandards(ctx.db, request.actor, parseCaseStandardsCsv(request.body as string)));

  app.patch('/api/case-standards/:id', {
    config: { access: 'case_standard.write' },
    schema: {
      tags, summary: 'Edit one 立结案标准 row',
      params: Type.Object({ id: Type.Integer() }),
      body: Type.Object({
        disposal: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
        registrationCondition: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), closingCondition: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        departmentRule: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        urgency: Type.Optional(Type.Union([Type.Literal('extra_urgent'), Type.Literal('urgent'), Type.Literal('normal')])),
        limit: Type.Optional(Type.Object({ value: Type.Number(), unit: Type.Union(TIME_LIMIT_UNITS.map((u) => Type.Literal(u.unit))) })),
      }, { additionalProperties: false }),
    },
  }, async (request) => updateCaseStandard(ctx.db, request.actor, (request.params as { id: number }).id, request.body as Partial<CaseStandardInput>));
}
