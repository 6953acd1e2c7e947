import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { AppContext } from '../http/context.ts';
import { PeriodQuery, periodFrom } from '../indicators/period-param.ts';
import { buildDepartmentReport } from './department-report.ts';
import { departmentReportPdf } from './department-report.pdf.ts';
import { departmentReportXlsx } from './department-report.xlsx.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function reportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/reports/departments', {
    config: { access: 'report.read' },
    schema: {
      tags: ['reports'],
      summary: 'The department report (专业部门案件处置情况通报) of a period, half-monthly (2026-10-H1) or monthly (2026-10): counts, rates, rank and the overdue cases; JSON, XLSX or PDF',
      querystring: Type.Object({ period: Type.Optional(PeriodQuery), format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('pdf')])) }),
    },
  }, async (request, reply) => {
    const q = request.query as { period?: string; format?: 'json' | 'xlsx' | 'pdf' };
    const now = Date.now();
    const report = await buildDepartmentReport(ctx.db, await ctx.calendars.get(), periodFrom(q.period, now), now);
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
