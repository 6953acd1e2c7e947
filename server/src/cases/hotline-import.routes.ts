import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { IDEMPOTENCY_HEADER, idempotencyScope, requestHash, runIdempotent, validateIdempotencyKey } from '../http/idempotency.ts';
import { ErrorBody, ErrorResponses } from '../http/schemas.ts';
import type { CsvRow } from '../imports/csv.ts';
import { workflowDeps } from './case-deps.ts';
import { HOTLINE_COLUMNS, MAX_HOTLINE_ROWS, XLSX_CONTENT_TYPE, importHotlineOrders, parseHotlineCsv, parseHotlineXlsx } from './hotline-import.ts';

const MAX_FILE_BYTES = 20 * 1024 * 1024;

const ImportResult = Type.Object({
  created: Type.Integer(),
  skipped: Type.Integer(),
  cases: Type.Array(Type.Object({
    row: Type.Integer(), ticket: Type.String(), caseId: Type.Integer(), code: Type.String(),
    duplicateCandidates: Type.Array(Type.Object({ caseId: Type.Integer(), code: Type.String(), distanceM: Type.Number() })),
  })),
  skippedTickets: Type.Array(Type.String()),
});

const columnsDoc = Object.entries(HOTLINE_COLUMNS).map(([name, zh]) => `${zh}/${name}`).join(', ');

async function readBody(request: FastifyRequest): Promise<CsvRow[]> {
  const body = request.body;
  if (typeof body === 'string') return parseHotlineCsv(body);
  if (Buffer.isBuffer(body)) return parseHotlineXlsx(body);
  throw new HttpError(415, 'unsupported_media_type', `send the file as text/csv or ${XLSX_CONTENT_TYPE}`);
}

export async function hotlineImportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Its own plugin scope, so the raw-bytes XLSX parser applies to this route only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(XLSX_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_request, body, done) => done(null, body));

    scope.post('/api/cases/import/hotline', {
      config: { access: 'case.import' },
      bodyLimit: MAX_FILE_BYTES,
      schema: {
        tags: ['cases'],
        summary: 'Import the day\'s 12345 hotline work orders (12345热线工单批量导入) from CSV or XLSX: one case per row, all or nothing',
        description: `Columns (Chinese header or English name): ${columnsDoc}; the last three are optional. 来电时间 is \`YYYY-MM-DD HH:mm[:ss]\` in Beijing time or ISO 8601 with an offset. `
          + `At most ${MAX_HOTLINE_ROWS} rows. Every row at fault is reported (row = line in the file, header = 1) and nothing is created; work orders imported before are skipped, so uploading a file again is safe. See docs/imports.md.`,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'retries with the same key act once and replay the first answer' })) }),
        body: {
          content: {
            'text/csv': { schema: { type: 'string', description: 'the CSV file (UTF-8, with or without BOM)' } },
            // No `format: 'binary'`: without a string type Ajv's strict mode warns about it at every start.
            [XLSX_CONTENT_TYPE]: { schema: { description: 'the workbook; its first worksheet is read' } },
          },
        },
        response: { 201: ImportResult, ...ErrorResponses, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody },
      },
    }, async (request, reply) => {
      const rows = await readBody(request);
      const now = Date.now();
      const key = validateIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]);
      const idempotency = key ? { scope: idempotencyScope(request.actor, 'case.import_hotline'), key, hash: requestHash(rows) } : null;
      const result = await runIdempotent(ctx.db, idempotency, async (trx) => {
        const deps = await workflowDeps(ctx, trx);
        return { status: 201, body: await importHotlineOrders(trx, deps, request.actor, rows, now) };
      }, now);
      void reply.status(result.status).header('idempotent-replayed', String(result.replayed));
      return result.body;
    });
  });
}
