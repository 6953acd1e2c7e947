import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/context.ts';
import { PeriodQuery, periodFrom } from '../indicators/period-param.ts';
import { buildDepartmentReport } from './department-report.ts';
import { departmentReportPdf } from './department-report.pdf.ts';
import { departmentReportXlsx } from './department-report.xlsx.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Overdue cases in a page of the JSON report, unless the caller asks for another size. */
const OVERDUE_PAGE = 100;

export async function reportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/reports/departments', {
    config: { access: 'report.read' },
    schema: {
      tags: ['reports'],
      summary: 'The department report (专业部门案件处置情况通报) of a period, half-monthly (2026-10-H1) or monthly (2026-10): counts, rates, rank and the overdue cases; JSON, XLSX or PDF',
      querystring: Type.Object({
        period: Type.Optional(PeriodQuery),
        format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('pdf')])),
        overdueOffset: Type.Optional(Type.Integer({ minimum: 0, description: 'JSON: where the page of overdue cases starts' })),
        overdueLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'JSON: overdue cases per page (100 by default); XLSX and PDF list them all' })),
        overdueDepartments: Type.Optional(Type.String({ pattern: '^\\d+(,\\d+)*$', description: 'JSON: only these departments\' overdue cases (ids, comma-separated)' })),
      }),
    },
  }, async (request, reply) => {
    const q = request.query as { period?: string; format?: 'json' | 'xlsx' | 'pdf'; overdueOffset?: number; overdueLimit?: number; overdueDepartments?: string };
    const now = Date.now();
    const printed = q.format === 'xlsx' || q.format === 'pdf';
    // The printed report lists every overdue case; the JSON one a page of them (a city's month has tens of thousands).
    const page = printed ? undefined : { offset: q.overdueOffset ?? 0, limit: q.overdueLimit ?? OVERDUE_PAGE, departmentIds: q.overdueDepartments?.split(',').map(Number) };
    const report = await buildDepartmentReport(ctx.db, await ctx.calendars.get(), periodFrom(q.period, now), now, page);
    const file = `department-report-${report.period.code}`;
    if (q.format === 'xlsx') {
      return reply.type(XLSX).header('content-disposition', `attachment; filename="${file}.xlsx"`).send(await departmentReportXlsx(report));
    }
    if (q.format === 'pdf') {
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}.pdf"`).send(await departmentReportPdf(report));
    }
    return report;
  });
}
