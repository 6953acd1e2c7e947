import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { ValidationError } from '@cityops/domain/errors';
import type { AppContext } from '../http/context.ts';
import { conflict, notFound } from '../http/errors.ts';
import { recordAudit } from '../audit/audit.ts';

const tags = ['departments'];
const Kind = Type.Union(['professional', 'collaborative', 'territorial', 'office', 'evaluator'].map((k) => Type.Literal(k)), {
  description: 'professional 专业部门, collaborative 协同单位, territorial 属地政府 (区政府/街道办), office 城管委/考评办/监督指挥中心, evaluator 第三方测评机构',
});

export async function departmentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/departments', {
    config: { access: 'department.read' },
    schema: { tags, summary: 'Departments and units (专业部门 / 协同单位 / 属地政府)', querystring: Type.Object({ kind: Type.Optional(Kind), territory: Type.Optional(Type.String()) }) },
  }, async (request) => {
    const q = request.query as { kind?: string; territory?: string };
    let query = ctx.db.selectFrom('departments as d').innerJoin('territory_nodes as t', 't.id', 'd.territory_node_id');
    if (q.kind) query = query.where('d.kind', '=', q.kind);
    if (q.territory) query = query.where('t.code', '=', q.territory);
    const rows = await query.select(['d.id', 'd.code', 'd.name', 'd.kind', 'd.phone', 'd.active', 't.code as territory_code', 't.name as territory_name']).orderBy('d.code').execute();
    return { items: rows.map((r) => ({ id: r.id, code: r.code, name: r.name, kind: r.kind, phone: r.phone, active: r.active === 1, territoryCode: r.territory_code, territoryName: r.territory_name })) };
  });

  app.post('/api/departments', {
    config: { access: 'department.write' },
    schema: {
      tags, summary: 'Create a department',
      body: Type.Object({
        code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' }), name: Type.String({ minLength: 1, maxLength: 60 }), kind: Kind,
        territoryCode: Type.String({ description: 'the city or district the department belongs to' }), phone: Type.Optional(Type.String({ maxLength: 30 })),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const body = request.body as { code: string; name: string; kind: string; territoryCode: string; phone?: string };
    const now = Date.now();
    const id = await ctx.db.transaction().execute(async (trx) => {
      const node = await trx.selectFrom('territory_nodes').select('id').where('code', '=', body.territoryCode).executeTakeFirst();
      if (!node) throw new ValidationError([{ field: 'territoryCode', message: `no territory node ${body.territoryCode}` }]);
      if (await trx.selectFrom('departments').select('id').where('code', '=', body.code).executeTakeFirst()) {
        throw conflict(`department ${body.code} exists`, [{ field: 'code', message: 'is taken' }]);
      }
      const row = await trx.insertInto('departments').values({
        code: body.code, name: body.name.trim(), kind: body.kind, territory_node_id: node.id, parent_id: null, phone: body.phone ?? null, active: 1, created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      await recordAudit(trx, request.actor, 'department.create', { type: 'department', ref: body.code }, body, now);
      return row.id;
    });
    void reply.status(201);
    return { id };
  });

  app.patch('/api/departments/:code', {
    config: { access: 'department.write' },
    schema: {
      tags, summary: 'Rename, re-phone or (de)activate a department',
      params: Type.Object({ code: Type.String() }),
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })), phone: Type.Optional(Type.String({ maxLength: 30 })), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { code } = request.params as { code: string };
    const body = request.body as { name?: string; phone?: string; active?: boolean };
    const now = Date.now();
    await ctx.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('departments').set({
        updated_at: now, ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.phone !== undefined ? { phone: body.phone } : {}),
        ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
      }).where('code', '=', code).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound(`department ${code}`);
      await recordAudit(trx, request.actor, 'department.update', { type: 'department', ref: code }, body, now);
    });
    return { ok: true };
  });
}
