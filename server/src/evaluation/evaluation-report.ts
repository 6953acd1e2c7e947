// The printed results of a month's evaluation, as a newspaper or the finance bureau wants them: the
// ranking table (名次, 单位, 得分, 较上月, each component, 加减分, 奖惩) and the settlement list
// (奖惩兑现清单), in XLSX and PDF from the same cell texts.
import type ExcelJS from 'exceljs';
import { loadExcel } from '../reports/lazy-libraries.ts';
import { rankChangeText, rankText, type CellValue, type ColumnKind } from '../reports/report-format.ts';
import { MARGIN, columns, drawTable, heading, renderPdf, texts } from '../reports/pdf-table.ts';
import { columnLetter, printSetup, setWidths, styleTableRow, wideLine, workbookBuffer } from '../reports/xlsx-table.ts';
import type { periodRanking, runView } from './views.service.ts';

type RunView = Awaited<ReturnType<typeof runView>>;
interface Spec { header: string; kind: ColumnKind }

const STATE_NOTE: Record<string, string> = { draft: '(草稿,未下发)', preliminary: '(初步结果,申诉期内)', final: '(最终结果,待发布)', published: '', superseded: '(已被更正版本取代)' };
const money = (yuan: number) => (yuan === 0 ? '—' : `${yuan > 0 ? '+' : '−'}${Math.abs(yuan).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(2)}`);
/** Points added or taken off: blank where there are none. */
const points = (v: number) => (v === 0 ? '' : signed(v));

export function reportTitle(view: RunView): string {
  return `${view.period.zh}${view.parent.name}城市管理综合考评结果${view.version > 1 ? `(第${view.version}版)` : ''}${STATE_NOTE[view.state] ?? ''}`;
}

export function rankingColumns(view: RunView): Spec[] {
  return [
    { header: '名次', kind: 'center' }, { header: '单位', kind: 'text' }, { header: '综合得分', kind: 'rate' }, { header: '较上月', kind: 'rate' }, { header: '名次变化', kind: 'center' },
    ...view.components.map((c) => ({ header: `${c.zh}(${c.weight}%)`, kind: 'rate' as const })),
    { header: '加减分', kind: 'rate' }, { header: '调整', kind: 'rate' }, { header: '奖惩金额(元)', kind: 'rate' }, { header: '预警', kind: 'center' },
  ];
}

export function rankingCells(view: RunView): CellValue[][] {
  return view.ranking.map((r) => [
    rankText(r.rank, r.tied), r.unit.name, score(r.total), signed(r.change.total), rankChangeText(r.change.rank),
    ...r.components.map((c) => score(c.score)),
    points(r.adjustments.reduce((s, a) => s + a.points, 0)), points(r.handicap), money(r.amountYuan), r.warnings.length ? `${r.warnings.length} 项` : '',
  ]);
}

const SETTLEMENT: Spec[] = [
  { header: '序号', kind: 'center' }, { header: '单位', kind: 'text' }, { header: '名次', kind: 'center' }, { header: '奖惩', kind: 'center' }, { header: '金额(元)', kind: 'rate' },
];

export function settlementCells(view: RunView): CellValue[][] {
  return view.settlement.map((s, i) => [i + 1, s.unit.name, rankText(s.rank, false), s.kind === 'reward' ? '奖励' : '处罚', money(s.amountYuan)]);
}

function notes(view: RunView): string[] {
  const out = [`考评方案:${view.scheme.name}(第${view.scheme.version}版)。综合得分 = Σ 权重 × 分项得分 + 加减分 + 调整;第三方暗访按抽查点位数折算。`];
  if (view.reason) out.push(`更正说明:${view.reason}`);
  if (view.publishedAt) out.push(`发布时间:${view.publishedAt.slice(0, 10)}`);
  if (view.seal) out.push(`防篡改校验:完整性账本第 ${view.seal.entry} 条,SHA-256 ${view.seal.hash}(cityops integrity check --anchor ${view.seal.entry}:<此值>)`);
  return out;
}

function addSheet(wb: ExcelJS.Workbook, name: string, title: string, specs: Spec[], rows: CellValue[][], extra: string[]): void {
  const ws = wb.addWorksheet(name);
  const n = specs.length;
  wideLine(ws, 1, n, title, { size: 16, bold: true }, { horizontal: 'center' }).height = 30;
  const header = ws.getRow(2);
  header.values = specs.map((s) => s.header);
  header.height = 30;
  styleTableRow(header, specs.map((s) => s.kind), true);
  rows.forEach((cells, i) => {
    const row = ws.getRow(3 + i);
    row.values = cells;
    styleTableRow(row, specs.map((s) => s.kind), false);
  });
  setWidths(ws, specs.map((s) => s.header), rows, 24);
  extra.forEach((line, i) => { wideLine(ws, 4 + rows.length + i, n, line, { size: 9 }, { horizontal: 'left' }).height = 28; });
  printSetup(ws, 2);
  ws.pageSetup.printArea = `A1:${columnLetter(n)}${3 + rows.length + extra.length}`;
}

export async function evaluationReportXlsx(view: RunView): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'CityOps';
  wb.title = reportTitle(view);
  addSheet(wb, '排名', reportTitle(view), rankingColumns(view), rankingCells(view), notes(view));
  addSheet(wb, '奖惩兑现清单', `${view.period.zh}${view.parent.name}综合考评奖惩兑现清单`, SETTLEMENT, settlementCells(view), ['正数为奖励,负数为处罚;由财政部门结算。']);
  return workbookBuffer(wb);
}

type PeriodView = Awaited<ReturnType<typeof periodRanking>>;
const PERIOD_COLUMNS: Spec[] = [
  { header: '名次', kind: 'center' }, { header: '单位', kind: 'text' }, { header: '参评月数', kind: 'count' }, { header: '月均得分', kind: 'rate' }, { header: '奖惩合计(元)', kind: 'rate' },
];

export function periodReportTitle(view: PeriodView, parentName: string): string {
  return `${view.period.zh}${parentName}城市管理综合考评${view.period.code.includes('Q') ? '季度' : '年度'}排名`;
}

function periodCells(view: PeriodView): CellValue[][] {
  return view.ranking.map((r) => [rankText(r.rank, r.tied), r.unit.name, r.months, score(r.average), money(r.amountYuan)]);
}

const periodNote = (view: PeriodView) => [`按已发布的月度结果计算:${view.months.join('、') || '无'}。月均得分为各月综合得分的平均值,奖惩合计为各月兑现金额之和。`];

export async function periodReportXlsx(view: PeriodView, parentName: string): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'CityOps';
  wb.title = periodReportTitle(view, parentName);
  addSheet(wb, '排名', periodReportTitle(view, parentName), PERIOD_COLUMNS, periodCells(view), periodNote(view));
  return workbookBuffer(wb);
}

export async function periodReportPdf(view: PeriodView, parentName: string): Promise<Buffer> {
  const title = periodReportTitle(view, parentName);
  return renderPdf(title, (doc) => {
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    const y = heading(doc, title, 16, MARGIN.top, width);
    const end = drawTable(doc, {
      headers: PERIOD_COLUMNS.map((s) => s.header),
      cols: columns(PERIOD_COLUMNS.map((s) => s.kind), [40, 140, 50, 60, 90], width * 0.7),
      rows: periodCells(view).map((cells) => ({ cells: texts(cells, PERIOD_COLUMNS) })),
    }, y + 10);
    doc.font('cjk').fontSize(9).text(periodNote(view)[0]!, MARGIN.left, end + 8, { width });
  }, { layout: 'portrait' });
}

export async function evaluationReportPdf(view: RunView): Promise<Buffer> {
  return renderPdf(reportTitle(view), (doc) => {
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    let y = heading(doc, reportTitle(view), 16, MARGIN.top, width);
    const specs = rankingColumns(view);
    y = drawTable(doc, {
      headers: specs.map((s) => s.header),
      cols: columns(specs.map((s) => s.kind), specs.map((s) => (s.kind === 'text' ? 90 : s.header.length > 6 ? 56 : 44)), width),
      rows: rankingCells(view).map((cells) => ({ cells: texts(cells, specs) })),
    }, y + 10);
    doc.font('cjk').fontSize(9);
    doc.y = y + 8;
    for (const note of notes(view)) doc.text(note, MARGIN.left, doc.y, { width, lineGap: 2 });
    y = heading(doc, '奖惩兑现清单', 13, doc.y + 18, width);
    const rows = settlementCells(view);
    if (rows.length === 0) { doc.font('cjk').fontSize(10).text('本期无奖惩', MARGIN.left, y + 6, { width, align: 'center' }); return; }
    drawTable(doc, {
      headers: SETTLEMENT.map((s) => s.header),
      cols: columns(SETTLEMENT.map((s) => s.kind), [30, 140, 50, 50, 90], width * 0.6),
      rows: rows.map((cells) => ({ cells: texts(cells, SETTLEMENT) })),
    }, y + 6);
  });
}
