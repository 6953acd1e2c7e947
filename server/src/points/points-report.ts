// The printed year of both ledgers: the accumulated points of every responsibility overlay and unit with the
// level each reached (and the alerts by date), and the credit list (信用公示名单) with scores and levels; XLSX
// and PDF from the same cell texts, through the report helpers every printed report uses.
import type ExcelJS from 'exceljs';
import { loadExcel } from '../reports/lazy-libraries.ts';
import type { CellValue, ColumnKind } from '../reports/report-format.ts';
import { MARGIN, columns, drawTable, heading, renderPdf, texts } from '../reports/pdf-table.ts';
import { columnLetter, printSetup, setWidths, styleTableRow, wideLine, workbookBuffer } from '../reports/xlsx-table.ts';
import type { areaTotals, listAlerts, unitTotals } from './responsibility.queries.ts';
import type { publicCreditList } from './credit-views.service.ts';

interface Spec { header: string; kind: ColumnKind }
interface Table { sheet: string; title: string; specs: Spec[]; weights: number[]; rows: CellValue[][]; notes: string[] }

const KIND_ZH: Record<string, string> = { road_segment: '路长责任路段', frontage: '门前三包', duty_area: '责任区', department: '部门', territory: '属地政府' };
const signed = (v: number) => (v === 0 ? '0' : `${v > 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}`);

export interface ResponsibilityYear {
  year: number;
  closedAt: string | null;
  areas: Awaited<ReturnType<typeof areaTotals>>['items'];
  units: Awaited<ReturnType<typeof unitTotals>>['items'];
  alerts: Awaited<ReturnType<typeof listAlerts>>['items'];
}

const stateNote = (closedAt: string | null) => (closedAt ? `年度已结账(${closedAt.slice(0, 10)}),合计已冻结。` : '年度未结账:合计为截至出表时的台账之和。');

export function responsibilityTables(r: ResponsibilityYear): Table[] {
  const areaSpecs: Spec[] = [{ header: '序号', kind: 'center' }, { header: '编码', kind: 'text' }, { header: '名称', kind: 'text' }, { header: '类型', kind: 'text' }, { header: '责任单位', kind: 'text' }, { header: '记录数', kind: 'count' }, { header: '累计加减分', kind: 'rate' }, { header: '等级', kind: 'center' }];
  const unitSpecs: Spec[] = [{ header: '序号', kind: 'center' }, { header: '单位', kind: 'text' }, { header: '类型', kind: 'text' }, { header: '记录数', kind: 'count' }, { header: '累计加减分', kind: 'rate' }, { header: '等级', kind: 'center' }];
  const alertSpecs: Spec[] = [{ header: '日期', kind: 'center' }, { header: '对象', kind: 'text' }, { header: '类型', kind: 'text' }, { header: '等级', kind: 'center' }, { header: '阈值', kind: 'rate' }, { header: '当时累计', kind: 'rate' }];
  return [
    {
      sheet: '责任区', title: `${r.year}年度责任区累计加减分`, specs: areaSpecs, weights: [30, 80, 140, 70, 120, 45, 60, 45],
      rows: r.areas.map((a, i) => [i + 1, a.code, a.name, KIND_ZH[a.kind] ?? a.kind, a.unit.name ?? '', a.entries, signed(a.total), a.level?.zh ?? '']), notes: [stateNote(r.closedAt)],
    },
    {
      sheet: '责任单位', title: `${r.year}年度责任单位累计加减分`, specs: unitSpecs, weights: [30, 160, 70, 45, 60, 45],
      rows: r.units.map((u, i) => [i + 1, u.name, KIND_ZH[u.kind] ?? u.kind, u.entries, signed(u.total), u.level?.zh ?? '']), notes: ['单位合计 = 其负责的各责任区记录 + 直接记给单位的加分。'],
    },
    {
      sheet: '预警记录', title: `${r.year}年度预警与黄牌记录`, specs: alertSpecs, weights: [70, 160, 70, 50, 50, 60],
      rows: r.alerts.map((a) => [a.crossedAt.slice(0, 10), a.subject?.name ?? '', KIND_ZH[a.subjectKind] ?? a.subjectKind, a.level?.zh ?? '', signed(a.threshold), signed(a.total)]), notes: ['每个对象每年每个等级只记录一次(首次达到阈值之日)。'],
    },
  ];
}

type CreditList = Awaited<ReturnType<typeof publicCreditList>>;

export function creditTables(list: CreditList): Table[] {
  const specs: Spec[] = [{ header: '序号', kind: 'center' }, { header: '名称', kind: 'text' }, { header: '统一社会信用代码', kind: 'text' }, { header: '类型', kind: 'text' }, { header: '所在区域', kind: 'text' }, { header: '信用积分', kind: 'rate' }, { header: '信用等级', kind: 'center' }];
  return [{
    sheet: '信用公示', title: `${list.year}年度城市管理信用积分公示名单`, specs, weights: [30, 150, 110, 110, 80, 55, 55],
    rows: list.items.map((s, i) => [i + 1, s.name, s.creditCode, s.kindName?.zh ?? s.kind, s.territory ?? '', s.score === null ? '' : s.score.toFixed(1), s.level ? `${s.level.code}(${s.level.zh})` : '']),
    notes: [list.closed ? '年度已结账,积分已冻结。' : '年度未结账:积分为截至出表时的记录。', '企业与商户的名称、信用代码和等级依规公开;不含任何个人信息。'],
  }];
}

function addSheet(wb: ExcelJS.Workbook, t: Table): void {
  const ws = wb.addWorksheet(t.sheet);
  const n = t.specs.length;
  wideLine(ws, 1, n, t.title, { size: 16, bold: true }, { horizontal: 'center' }).height = 30;
  const header = ws.getRow(2);
  header.values = t.specs.map((s) => s.header);
  styleTableRow(header, t.specs.map((s) => s.kind), true);
  t.rows.forEach((cells, i) => {
    const row = ws.getRow(3 + i);
    row.values = cells;
    styleTableRow(row, t.specs.map((s) => s.kind), false);
  });
  setWidths(ws, t.specs.map((s) => s.header), t.rows, 30);
  t.notes.forEach((line, i) => { wideLine(ws, 4 + t.rows.length + i, n, line, { size: 9 }, { horizontal: 'left' }).height = 20; });
  printSetup(ws, 2);
  ws.pageSetup.printArea = `A1:${columnLetter(n)}${3 + t.rows.length + t.notes.length}`;
}

export async function tablesXlsx(title: string, tables: Table[]): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'CityOps';
  wb.title = title;
  for (const t of tables) addSheet(wb, t);
  return workbookBuffer(wb);
}

export async function tablesPdf(title: string, tables: Table[]): Promise<Buffer> {
  return renderPdf(title, (doc) => {
    const width = doc.page.width - MARGIN.left - MARGIN.right;
    let y = MARGIN.top;
    tables.forEach((t, k) => {
      if (k > 0) { doc.addPage(); y = MARGIN.top; }
      y = heading(doc, t.title, 15, y, width);
      y = drawTable(doc, { headers: t.specs.map((s) => s.header), cols: columns(t.specs.map((s) => s.kind), t.weights, width), rows: t.rows.map((cells) => ({ cells: texts(cells, t.specs) })) }, y + 8);
      doc.font('cjk').fontSize(9);
      doc.y = y + 6;
      for (const note of t.notes) doc.text(note, MARGIN.left, doc.y, { width, lineGap: 2 });
      y = doc.y;
    });
  });
}
