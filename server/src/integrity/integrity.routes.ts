// The integrity check for administrators: the same report as `cityops integrity check`.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/context.ts';
import { checkIntegrity } from './check.service.ts';
import { parseAnchors } from './integrity-commands.ts';

export async function integrityRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/integrity/check', {
    config: { access: 'system.read' },
    schema: {
      tags: ['system'],
      summary: 'Tamper evidence (防篡改校验): walk the ledger\'s hash chain, recompute every sealed result, finding, appeal and audit row, hash the photos, and list each difference',
      querystring: Type.Object({ anchor: Type.Optional(Type.String({ maxLength: 4000, description: 'hashes kept outside the database, as printed on published rankings: 12:<sha256>,30:<sha256>' })) }),
    },
  }, async (request) => {
    const anchors = parseAnchors((request.query as { anchor?: string }).anchor, 'querystring.anchor');
    return checkIntegrity(ctx.db, { store: ctx.attachments, anchors });
  });
}
