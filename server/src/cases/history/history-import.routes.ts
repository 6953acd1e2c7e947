import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';
import { HttpError } from '../../http/errors.ts';
import { ErrorBody, ErrorResponses } from '../../http/schemas.ts';
import { workflowDeps } from '../case-deps.ts';
import { importHistory } from './history-import.ts';
import { HISTORY_COLUMNS, parseHistoryCsv, parseHistoryJsonl, type HistoryRecord } from './history-records.ts';

const MAX_FILE_BYTES = 200 * 1024 * 1024;
export const JSONL_CONTENT_TYPES = ['application/x-ndjson', 'application/jsonl'];

const HistoryImportResult = Type.Object({
  cases: Type.Integer(),
  events: Type.Integer(),
  byState: Type.Record(Type.String(), Type.Integer()),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
});

function readBody(request: FastifyRequest): HistoryRecord[] {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
  if (typeof request.body !== 'string') throw new HttpError(415, 'unsupported_media_type', `send the log as text/csv or ${JSONL_CONTENT_TYPES[0]}`);
  return JSONL_CONTENT_TYPES.includes(type) ? parseHistoryJsonl(request.body) : parseHistoryCsv(request.body);
}

export async function historyImportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(JSONL_CONTENT_TYPES, { parseAs: 'string', bodyLimit: MAX_FILE_BYTES }, (_request, body, done) => done(null, body));
    scope.post('/api/cases/import/history', {
      config: { access: 'case.import' },
      bodyLimit: MAX_FILE_BYTES,
      schema: {
        tags: ['cases'],
        summary: 'Import historical cases (历史案卷导入) as an event log, replayed through the workflow table: all or nothing',
        description: `One event per JSONL line or CSV row, columns ${HISTORY_COLUMNS.join(', ')}. Each case opens with a \`report\` row; every later row is an action of GET /api/workflow, `
          + 'taken by the named account with its real roles and scope at that time. A line that breaks a rule is reported with its number (row) and nothing is kept. Format: docs/history-import.md.',
        body: {
          content: {
            'application/x-ndjson': { schema: { type: 'string', description: 'JSON Lines, UTF-8' } },
            'text/csv': { schema: { type: 'string', description: 'CSV with a header row, UTF-8' } },
          },
        },
        response: { 201: HistoryImportResult, ...ErrorResponses, 413: ErrorBody, 415: ErrorBody },
      },
    }, async (request, reply) => {
      const records = readBody(request);
      const now = Date.now();
      const result = await ctx.db.transaction().execute(async (trx) => importHistory(trx, await workflowDeps(ctx, trx), request.actor, records, now));
      void reply.status(201);
      return result;
    });
  });
}
