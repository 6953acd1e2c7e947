import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useI18n } from './i18n/index.tsx';
import { navigate, useRoute } from './router.ts';
import { useSession } from './shell/session.tsx';
import { LoginPage } from './shell/LoginPage.tsx';
import { TopBar } from './shell/TopBar.tsx';
import { SideNav } from './shell/SideNav.tsx';
import { SECTIONS } from './shell/sections.ts';
import { Loading } from './components/Status.tsx';
import { PublicShell } from './portal/PublicShell.tsx';

// Every page is its own chunk, loaded when first opened: the first load carries the shell and sign-in only.
const TerritoryPage = lazy(() => import('./territory/TerritoryPage.tsx').then((m) => ({ default: m.TerritoryPage })));
const CatalogPage = lazy(() => import('./catalog/CatalogPage.tsx').then((m) => ({ default: m.CatalogPage })));
const StandardsPage = lazy(() => import('./standards/StandardsPage.tsx').then((m) => ({ default: m.StandardsPage })));
const CalendarPage = lazy(() => import('./calendar/CalendarPage.tsx').then((m) => ({ default: m.CalendarPage })));
const UsersPage = lazy(() => import('./users/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));
const ApiKeysPage = lazy(() => import('./apikeys/ApiKeysPage.tsx').then((m) => ({ default: m.ApiKeysPage })));
const DepartmentsPage = lazy(() => import('./departments/DepartmentsPage.tsx').then((m) => ({ default: m.DepartmentsPage })));
const EvaluationPage = lazy(() => import('./evaluation/EvaluationPage.tsx').then((m) => ({ default: m.EvaluationPage })));
const RoundsPage = lazy(() => import('./evaluation/RoundsPage.tsx').then((m) => ({ default: m.RoundsPage })));
const ChecklistPage = lazy(() => import('./evaluation/ChecklistPage.tsx').then((m) => ({ default: m.ChecklistPage })));
const SchemePage = lazy(() => import('./evaluation/SchemePage.tsx').then((m) => ({ default: m.SchemePage })));
const EvaluatorPage = lazy(() => import('./evaluation/EvaluatorPage.tsx').then((m) => ({ default: m.EvaluatorPage })));
const CasesPage = lazy(() => import('./cases/CasesPage.tsx').then((m) => ({ default: m.CasesPage })));
const MapPage = lazy(() => import('./map/MapPage.tsx').then((m) => ({ default: m.MapPage })));
const DepartmentReportPage = lazy(() => import('./reports/DepartmentReportPage.tsx').then((m) => ({ default: m.DepartmentReportPage })));
const InspectorPage = lazy(() => import('./inspector/InspectorPage.tsx').then((m) => ({ default: m.InspectorPage })));
const MyReportsPage = lazy(() => import('./portal/MyReportsPage.tsx').then((m) => ({ default: m.MyReportsPage })));
const DashboardPage = lazy(() => import('./dashboard/DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })));
const BigScreenPage = lazy(() => import('./dashboard/BigScreenPage.tsx').then((m) => ({ default: m.BigScreenPage })));
const PublicRankingsPage = lazy(() => import('./evaluation/PublicRankingsPage.tsx').then((m) => ({ default: m.PublicRankingsPage })));
const ReportPage = lazy(() => import('./portal/ReportPage.tsx').then((m) => ({ default: m.ReportPage })));
const JobsPage = lazy(() => import('./system/JobsPage.tsx').then((m) => ({ default: m.JobsPage })));
const KeyTasksPage = lazy(() => import('./key-tasks/KeyTasksPage.tsx').then((m) => ({ default: m.KeyTasksPage })));
const MyKeyTasksPage = lazy(() => import('./key-tasks/MyKeyTasksPage.tsx').then((m) => ({ default: m.MyKeyTasksPage })));
const PointsPage = lazy(() => import('./points/PointsPage.tsx').then((m) => ({ default: m.PointsPage })));
const CreditPage = lazy(() => import('./points/CreditPage.tsx').then((m) => ({ default: m.CreditPage })));
const PublicCreditPage = lazy(() => import('./points/PublicCreditPage.tsx').then((m) => ({ default: m.PublicCreditPage })));
const PerformancePage = lazy(() => import('./performance/PerformancePage.tsx').then((m) => ({ default: m.PerformancePage })));
const TrackPage = lazy(() => import('./portal/TrackPage.tsx').then((m) => ({ default: m.TrackPage })));

const PAGES: Record<string, () => ReactNode> = {
  '/dashboard': () => <DashboardPage />,
  '/bigscreen': () => <BigScreenPage />,
  '/inspector': () => <InspectorPage />,
  '/my-reports': () => <MyReportsPage />,
  '/cases': () => <CasesPage />,
  '/map': () => <MapPage />,
  '/reports/departments': () => <DepartmentReportPage />,
  '/territory': () => <TerritoryPage />,
  '/catalog': () => <CatalogPage />,
  '/standards': () => <StandardsPage />,
  '/calendar': () => <CalendarPage />,
  '/evaluation': () => <EvaluationPage />,
  '/evaluation/rounds': () => <RoundsPage />,
  '/evaluation/checklists': () => <ChecklistPage />,
  '/evaluation/schemes': () => <SchemePage />,
  '/evaluator': () => <EvaluatorPage />,
  '/users': () => <UsersPage />,
  '/system/jobs': () => <JobsPage />,
  '/api-keys': () => <ApiKeysPage />,
  '/departments': () => <DepartmentsPage />,
  '/key-tasks': () => <KeyTasksPage />,
  '/key-tasks/mine': () => <MyKeyTasksPage />,
  '/points': () => <PointsPage />,
  '/credit': () => <CreditPage />,
  '/performance': () => <PerformancePage />,
};

const PUBLIC_PAGES: Record<string, () => ReactNode> = {
  '/public/report': () => <ReportPage />,
  '/public/track': () => <TrackPage />,
  '/public/rankings': () => <PublicRankingsPage />,
  '/public/credit': () => <PublicCreditPage />,
};

export function App() {
  const { status } = useSession();
  const route = useRoute();
  // The public pages need no account.
  const publicPage = PUBLIC_PAGES[route.path];
  if (publicPage) return <PublicShell current={route.path}><Suspense fallback={<Loading />}>{publicPage()}</Suspense></PublicShell>;
  if (status === 'checking') return <div className="splash"><Loading /></div>;
  if (status === 'anonymous') return <LoginPage />;
  return <Workspace />;
}

function Workspace() {
  const { t } = useI18n();
  const { can, me } = useSession();
  const route = useRoute();
  const allowed = SECTIONS.filter((s) => can(s.permission) && (!s.roles || s.roles.some((r) => me?.grants.some((g) => g.role === r))));
  const current = allowed.find((s) => s.path === route.path);
  const first = allowed[0];

  useEffect(() => {
    if (!current && first) navigate(first.path, undefined, true);
  }, [current, first]);

  const render = current ? PAGES[current.path] : undefined;
  return (
    <div className="app">
      <TopBar />
      <div className="app-body">
        <SideNav sections={allowed} current={current?.path ?? ''} />
        <main className="content">
          {render ? <Suspense fallback={<Loading />}>{render()}</Suspense> : allowed.length === 0 ? <div className="empty">{t('nav.nothing')}</div> : <Loading />}
        </main>
      </div>
    </div>
  );
}
