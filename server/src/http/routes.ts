import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.ts';
import { accessRoutes } from '../access/access.routes.ts';
import { territoryRoutes } from '../territory/territory.routes.ts';
import { responsibilityAreaRoutes } from '../territory/responsibility-areas.ts';
import { departmentRoutes } from '../departments/departments.routes.ts';
import { catalogRoutes } from '../catalog/catalog.routes.ts';
import { componentRoutes } from '../components/components.routes.ts';
import { calendarRoutes } from '../calendar/calendar.routes.ts';
import { caseRoutes } from '../cases/cases.routes.ts';
import { hotlineImportRoutes } from '../cases/hotline-import.routes.ts';
import { historyImportRoutes } from '../cases/history/history-import.routes.ts';
import { stageLimitRoutes } from '../cases/stage-limits.routes.ts';
import { attachmentRoutes } from '../attachments/attachments.routes.ts';
import { indicatorRoutes } from '../indicators/indicators.routes.ts';
import { performanceRoutes } from '../performance/performance.routes.ts';
import { reportRoutes } from '../reports/reports.routes.ts';
import { evaluationSetupRoutes } from '../evaluation/evaluation-setup.routes.ts';
import { evaluationRunRoutes } from '../evaluation/evaluation-runs.routes.ts';
import { open311Routes } from '../open311/open311.routes.ts';
import { portalRoutes } from '../portal/portal.routes.ts';
import { jobRoutes } from '../jobs/jobs.routes.ts';
import { integrityRoutes } from '../integrity/integrity.routes.ts';
import { keyTaskRoutes } from '../key-tasks/key-tasks.routes.ts';
import { pointsRoutes } from '../points/points.routes.ts';
import { creditRoutes } from '../points/credit.routes.ts';

/** Every feature's routes; a new feature adds one line here. */
export async function registerFeatureRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('application/geo+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(Object.assign(new Error(`body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }), undefined);
    }
  });
  for (const register of [accessRoutes, territoryRoutes, responsibilityAreaRoutes, departmentRoutes, catalogRoutes, componentRoutes, calendarRoutes, attachmentRoutes, caseRoutes, hotlineImportRoutes, historyImportRoutes, stageLimitRoutes, indicatorRoutes, performanceRoutes, reportRoutes, evaluationSetupRoutes, evaluationRunRoutes, open311Routes, portalRoutes, jobRoutes, integrityRoutes, keyTaskRoutes, pointsRoutes, creditRoutes]) {
    await register(app, ctx);
  }
}
