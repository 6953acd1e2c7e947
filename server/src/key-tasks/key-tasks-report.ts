// The printed progress of a plan (重点任务推进情况表): every task and milestone one sees with its units, due date,
// status and days overdue; and the month's special-task scores (专项工作得分) with their deductions and bonuses.
// XLSX and PDF from the same cell texts, through the report helpers every printed report uses.
import type ExcelJS from 'exceljs';
import { MILESTONE_STATUSES } from '@cityops/domain/key-tasks/milestones';
import { SCORE_EVENTS, UNIT_ROLES } from '@cityops/domain/key-tasks/score';
import { loadExcel } from '../reports/lazy-libraries.ts';
import type { CellValue, ColumnKind } from '../reports/report-format.ts';
import { MARGIN, columns, drawTable, heading, renderPdf, texts } from '../reports/pdf-table.ts';
import { columnLetter, printSetup, setWidths, styleTableRow, wideLine, workbookBuffer } from '../reports/xlsx-table.ts';
import type { planBoard } from './views.service.ts';
import type { PlanMonthScores } from './scores.service.ts';

type Board = Awaited<ReturnType<typeof planBoard>>;
interface Spec { header: string; kind: ColumnKind; weight: number }

const PROGRESS: Spec[] = [
  { header: '序号', kind: 'center', weight: 30 }, { header: '任务', kind: 'text', weight: 110 }, { header: '牵头单位', kind: 'text', weight: 70 }, { header: '配合单位', kind: 'text', weight: 80 },
  { header: '节点', kind: 'text', weight: 90 }, { header: '交付要求', kind: 'text', weight: 110 }, { header: '到期日', kind: 'center', weight: 52 },
  { header: '状态', kind: 'center', weight: 44 }, { header: '完成(%)', kind: 'count', weight: 36 }, { header: '逾期(天)', kind: 'count', weight: 36 },
];
const SCORES: Spec[] = [
  { header: '单位', kind: 'text', weight: 90 }, { header: '得分', kind: 'rate', weight: 40 }, { header: '扣分', kind: 'rate', weight: 40 }, { header: '加分', kind: 'rate', weight: 40 }, { header: '明细', kind: 'text', weight: 330 },
];

const names = (units: Board['tasks'][number]['units'], role: 'lead' | 'cooperating') => units.filter((u) => u.role === role).map((u) => u.name).join('、');

export function progressCells(board: Board): CellValue[][] {
  const rows: CellValue[][] = [];
  for (const t of board.tasks) {
    const lead = names(t.units, 'lead');
    const coop = names(t.units, 'cooperating');
    if (t.milestones.length === 0) rows.push([t.seq, t.name, lead, coop, '—', '', '', '', '', '']);
    for (const m of t.milestones) {
      rows.push([t.seq, t.name, lead, coop, m.name, m.deliverable, m.granularity === 'week' ? `${m.dueDate}(周)` : m.dueDate, MILESTONE_STATUSES[m.status].zh, m.percent, m.daysLate || '']);
    }
  }
  return rows;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

export function scoreCells(scores: PlanMonthScores): CellValue[][] {
  return scores.units.map((u) => {
    const events = u.lines.filter((l) => l.event !== 'base');
    const minus = -u.lines.filter((l) => l.points < 0).reduce((s, l) => s + l.points, 0);
    const plus = u.lines.filter((l) => l.points > 0 && l.event !== 'base').reduce((s, l) => s + l.points, 0);
    const detail = events.map((l) => {
      const what = l.event === 'bonus_cap' ? '加分封顶' : l.event === 'range' ? '分值上下限' : `${SCORE_EVENTS[l.event as keyof typeof SCORE_EVENTS].zh} ${l.label}(${UNIT_ROLES[l.role!].zh})`;
      return `${l.points > 0 ? '+' : ''}${fmt(l.points)} ${what}`;
    }).join(';') || '无扣减';
    return [u.unit.name, fmt(u.score), minus ? fmt(minus) : '', plus ? fmt(plus) : '', detail];
  });
}

const progressTitle = (board: Board) => `${board.plan.name}推进情况表`;
const scoreTitle = (scores: PlanMonthScores) => `${scores.plan.name} ${scores.month} 专项工作得分`;
const counts = (board: Board) => `截至 ${board.asOf!.slice(0, 10)}:` + Object.entries(board.counts).map(([k, n]) => `${MILESTONE_STATUSES[k as keyof typeof MILESTONE_STATUSES].zh} ${n}`).join(',');
const ruleNote = (scores: PlanMonthScores) => `评分细则:${scores.rule.name}(${scores.rule.code} 第${scores.rule.version}版);节点逾期与提前完成计入到期月份,退回计入验收月份。`;

function addSheet(wb: ExcelJS.Workbook, name: string, title: string, specs: Spec[], rows: CellValue[][], notes: string[]): void {
  const ws = wb.addWorksheet(name);
  const n = specs.length;
  wideLine(ws, 1, n, title, { size: 16, bold: true }, { horizontal: 'center' }).height = 30;
  const header = ws.getRow(2);
  header.values = specs.map((s) => s.header);
  styleTableRow(header, specs.map((s) => s.kind), true);
  rows.forEach((cells, i) => { const row = ws.getRow(3 + i); row.values = cells; styleTableRow(row, specs.map((s) => s.kind), false); });
  setWidths(ws, specs.map((s) => s.header), rows, 40);
  notes.forEach((line, i) => { wideLine(ws, 4 + rows.length + i, n, line, { size: 9 }, { horizontal: 'left' }).height = 24; });
  printSetup(ws, 2);
  ws.pageSetup.printArea = `A1:${columnLetter(n)}${3 + rows.length + notes.length}`;
}

export async function keyTaskReportXlsx(board: Board, scores: PlanMonthScores | null): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'CityOps';
  wb.title = progressTitle(board);
  addSheet(wb, '推进情况', progressTitle(board), PROGRESS, progressCells(board), [counts(board)]);
  if (scores) addSheet(wb, '专项工作得分', scoreTitle(scores), SCORES, scoreCells(scores), [ruleNote(scores)]);
  return workbookBuffer(wb);
}

export async function keyTaskReportPdf(board: Board, scores: PlanMonthScores | null): Promise<Buffer> {
  return renderPdf(progressTitle(board), (doc) => {
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    let y = heading(doc, progressTitle(board), 16, MARGIN.top, width);
    y = drawTable(doc, { headers: PROGRESS.map((s) => s.header), cols: columns(PROGRESS.map((s) => s.kind), PROGRESS.map((s) => s.weight), width), rows: progressCells(board).map((c) => ({ cells: texts(c, PROGRESS) })) }, y + 10);
    doc.font('cjk').fontSize(9).text(counts(board), MARGIN.left, y + 6, { width });
    if (!scores) return;
    y = heading(doc, scoreTitle(scores), 13, doc.y + 18, width);
    y = drawTable(doc, { headers: SCORES.map((s) => s.header), cols: columns(SCORES.map((s) => s.kind), SCORES.map((s) => s.weight), width), rows: scoreCells(scores).map((c) => ({ cells: texts(c, SCORES) })) }, y + 6);
    doc.font('cjk').fontSize(9).text(ruleNote(scores), MARGIN.left, y + 6, { width });
  });
}
