import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { departmentReportPdf } from './department-report.pdf.ts';
import type { DepartmentReport, DepartmentReportRow } from './department-report.types.ts';
import { departmentReportXlsx } from './department-report.xlsx.ts';
import { formatBeijingTime, rankChangeText, rankText } from './report-format.ts';

const rate = (value: number | null, text: string) => ({ value, text });

// Two departments tied on 按期处置率 (134/144) and on 处置数 (140), so both rank 1; 园林 had nothing due
// (all three dispatches were returned), so it has no rank and no rates. Every rate is worked by hand.
const HWC: DepartmentReportRow = {
  rank: 1, tied: true, department: { id: 11, code: 'hwc', name: '市市容环境卫生管理处', kind: 'professional' },
  dispatched: 160, dueToHandle: 144, handled: 140, handledOnTime: 134, overdue: 10, reworked: 3, extended: 2, returned: 1,
  dueToClose: 138, closed: 135,
  handlingRate: rate(140 / 144, '97.22%'), onTimeHandlingRate: rate(134 / 144, '93.06%'),
  reworkRate: rate(3 / 140, '2.14%'), closingRate: rate(135 / 138, '97.83%'),
  rankChange: 2,
};
const SZ: DepartmentReportRow = {
  rank: 1, tied: true, department: { id: 12, code: 'szc', name: '市政设施管理处（城市道路桥梁养护中心）', kind: 'professional' },
  dispatched: 151, dueToHandle: 144, handled: 140, handledOnTime: 134, overdue: 10, reworked: 5, extended: 0, returned: 2,
  dueToClose: 139, closed: 139,
  handlingRate: rate(140 / 144, '97.22%'), onTimeHandlingRate: rate(134 / 144, '93.06%'),
  reworkRate: rate(5 / 140, '3.57%'), closingRate: rate(1, '100.00%'),
  rankChange: -1,
};
const YL: DepartmentReportRow = {
  rank: null, tied: false, department: { id: 13, code: 'ylj', name: '市园林绿化管理局', kind: 'professional' },
  dispatched: 3, dueToHandle: 0, handled: 0, handledOnTime: 0, overdue: 0, reworked: 0, extended: 0, returned: 3,
  dueToClose: 0, closed: 0,
  handlingRate: rate(null, '—'), onTimeHandlingRate: rate(null, '—'), reworkRate: rate(null, '—'), closingRate: rate(null, '—'),
  rankChange: null,
};

const REPORT: DepartmentReport = {
  title: '2026年10月下半月专业部门案件处置情况通报',
  period: { code: '2026-10-H2', kind: 'half_month', zh: '2026年10月下半月', from: '2026-10-16', to: '2026-10-31' },
  asOf: '2026-11-01T00:00:00+08:00',
  // A UTC instant on purpose: it must print as Beijing wall-clock time (01:30Z is 09:30 in Beijing).
  generatedAt: '2026-11-02T01:30:00.000Z',
  rows: [HWC, SZ, YL],
  totals: {
    dispatched: 314, dueToHandle: 288, handled: 280, handledOnTime: 268, overdue: 20, reworked: 8, extended: 2, returned: 6,
    dueToClose: 277, closed: 274,
    handlingRate: rate(280 / 288, '97.22%'), onTimeHandlingRate: rate(268 / 288, '93.06%'),
    reworkRate: rate(8 / 280, '2.86%'), closingRate: rate(274 / 277, '98.92%'),
  },
  overdueCases: [
    {
      code: '2026102600123', department: '市市容环境卫生管理处', className: '暴露垃圾', address: '滨江路18号东侧人行道', street: '滨江街道',
      dispatchedAt: '2026-10-26T09:12:00+08:00', dueAt: '2026-10-26T15:12:00+08:00', handledAt: '2026-10-27T10:05:00+08:00',
      state: '待核查', hoursLate: 3.9,
    },
    {
      code: '2026102900045', department: '市政设施管理处（城市道路桥梁养护中心）', className: '井盖破损', address: null, street: '城南街道',
      dispatchedAt: '2026-10-29T16:40:00+08:00', dueAt: '2026-10-30T16:40:00+08:00', handledAt: null,
      state: '处置中', hoursLate: 4,
    },
  ],
  overdueTotal: 2,
  overdueOffset: 0,
  ranking: { indicator: 'on_time_handling_rate', zh: '按期处置率', en: 'On-time handling rate', better: 'higher', schemeVersion: 0 },
  notes: [
    '注：1. 按期处置率 = 按期处置数 ÷ 应处置数；排名先按按期处置率，相同时按处置数，仍相同者并列。',
    '2. 本期应处置数为 0 的部门不参加排名，各项比率显示为“—”。',
    '3. 名次变化与上一个半月相比，↑ 表示名次上升，↓ 表示下降。',
  ],
};
const NO_OVERDUE: DepartmentReport = { ...REPORT, overdueCases: [], overdueTotal: 0 };

const HEADER = ['排名', '部门', '派遣数', '应处置数', '处置数', '按期处置数', '超时数', '返工数', '延期数', '回退数', '应结案数', '结案数',
  '处置率', '按期处置率', '返工率', '结案率', '名次变化'];

describe('report-format', () => {
  test('times print as Beijing wall clock whatever offset they carry', () => {
    assert.equal(formatBeijingTime('2026-10-26T09:12:00+08:00'), '2026-10-26 09:12');
    assert.equal(formatBeijingTime('2026-10-31T16:00:00Z'), '2026-11-01 00:00');
    assert.throws(() => formatBeijingTime('下周一'), /not an ISO time/);
  });
  test('rank and rank change texts', () => {
    assert.deepEqual([rankText(3, false), rankText(2, true), rankText(null, false)], ['3', '2（并列）', '—']);
    assert.deepEqual([rankChangeText(2), rankChangeText(-1), rankChangeText(0), rankChangeText(null)], ['↑2', '↓1', '0', '—']);
  });
});

async function loadXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return wb;
}

function cells(ws: ExcelJS.Worksheet, row: number, count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ws.getRow(row).getCell(i + 1).value);
}

describe('department report XLSX', () => {
  test('sheet 1: title, period line, header, one row per department, totals, notes, print setup', async () => {
    const wb = await loadXlsx(await departmentReportXlsx(REPORT));
    const ws = wb.getWorksheet('通报');
    assert.ok(ws, 'sheet 通报');
    assert.equal(ws.getCell('A1').value, REPORT.title);
    assert.equal(ws.getCell('A1').font?.bold, true);
    assert.equal(ws.getCell('A1').font?.size, 16);
    assert.ok(ws.model.merges.includes('A1:Q1'), `title merged across the table: ${ws.model.merges.join(' ')}`);
    assert.equal(ws.getCell('A2').value, '统计周期：2026年10月下半月　　统计截至 2026-11-01 00:00　　生成时间 2026-11-02 09:30');

    assert.deepEqual(cells(ws, 3, 17), HEADER);
    assert.equal(ws.getCell('A3').fill?.type, 'pattern');
    assert.deepEqual(cells(ws, 4, 17), ['1（并列）', '市市容环境卫生管理处', 160, 144, 140, 134, 10, 3, 2, 1, 138, 135, '97.22%', '93.06%', '2.14%', '97.83%', '↑2']);
    assert.deepEqual(cells(ws, 5, 17), ['1（并列）', '市政设施管理处（城市道路桥梁养护中心）', 151, 144, 140, 134, 10, 5, 0, 2, 139, 139, '97.22%', '93.06%', '3.57%', '100.00%', '↓1']);
    assert.deepEqual(cells(ws, 6, 17), ['—', '市园林绿化管理局', 3, 0, 0, 0, 0, 0, 0, 3, 0, 0, '—', '—', '—', '—', '—']);
    // 合计 spans the rank and department columns, so B reads as the merged cell's value.
    assert.deepEqual(cells(ws, 7, 17), ['合计', '合计', 314, 288, 280, 268, 20, 8, 2, 6, 277, 274, '97.22%', '93.06%', '2.86%', '98.92%', '']);
    assert.equal(ws.getCell('N4').alignment?.horizontal, 'right');
    assert.equal(ws.getCell('Q7').border?.bottom?.style, 'thin');
    assert.equal(ws.getCell('A8').value, null);
    assert.deepEqual([ws.getCell('A9').value, ws.getCell('A10').value, ws.getCell('A11').value], REPORT.notes);

    // Every column is written with a width (a default-width column would cut 100.00%), and the long name wraps.
    assert.deepEqual(ws.columns.map((c) => c.width), [11, 24, 10, 10, 10, 12, 10, 10, 10, 10, 10, 10, 10, 12, 10, 10, 10]);
    assert.equal(ws.getCell('B5').alignment?.wrapText, true);
    assert.equal(ws.views[0]?.state, 'frozen');
    assert.equal((ws.views[0] as { ySplit?: number }).ySplit, 3);
    assert.equal(ws.pageSetup.orientation, 'landscape');
    assert.equal(ws.pageSetup.paperSize, 9);
    assert.equal(ws.pageSetup.fitToWidth, 1);
    assert.equal(ws.pageSetup.printTitlesRow, '3:3');
  });

  test('sheet 2: one row per overdue case in Beijing time, 未反馈 when not handled', async () => {
    const wb = await loadXlsx(await departmentReportXlsx(REPORT));
    const ws = wb.getWorksheet('超时案件清单');
    assert.ok(ws, 'sheet 超时案件清单');
    assert.equal(ws.getCell('A1').value, '超时案件清单（2026年10月下半月）');
    assert.deepEqual(cells(ws, 2, 11), ['序号', '案件编号', '部门', '问题类别', '街道', '地址', '派遣时间', '应处置时限', '处置反馈时间', '当前状态', '超时(工作小时)']);
    assert.deepEqual(cells(ws, 3, 11), [1, '2026102600123', '市市容环境卫生管理处', '暴露垃圾', '滨江街道', '滨江路18号东侧人行道',
      '2026-10-26 09:12', '2026-10-26 15:12', '2026-10-27 10:05', '待核查', 3.9]);
    assert.deepEqual(cells(ws, 4, 11), [2, '2026102900045', '市政设施管理处（城市道路桥梁养护中心）', '井盖破损', '城南街道', '',
      '2026-10-29 16:40', '2026-10-30 16:40', '未反馈', '处置中', 4]);
    assert.equal(ws.getCell('K4').numFmt, '0.0');
    assert.equal(ws.getCell('A5').value, null);
    assert.equal(ws.pageSetup.printTitlesRow, '2:2');
  });

  test('an empty overdue list prints one line saying so', async () => {
    const ws = (await loadXlsx(await departmentReportXlsx(NO_OVERDUE))).getWorksheet('超时案件清单');
    assert.ok(ws);
    assert.equal(ws.getCell('A3').value, '本期无超时案件');
    assert.equal(ws.getCell('A4').value, null);
  });
});

/**
 * The text of each page of a PDF that pdfkit wrote, in page order, without poppler: inflate the streams and
 * map each font's glyph codes back through its ToUnicode CMap. It knows pdfkit's own output (Identity-H
 * fonts, one TJ per line, uncompressed dictionaries), and is no general PDF reader.
 */
function pdfkitPageTexts(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const objects = new Map<string, { dict: string; stream: Buffer | null }>();
  for (const m of raw.matchAll(/(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) {
    const body = m[2] ?? '';
    const at = body.indexOf('stream\n');
    const dict = at < 0 ? body : body.slice(0, at);
    const bytes = at < 0 ? null : Buffer.from(body.slice(at + 7, body.lastIndexOf('\nendstream')), 'latin1');
    objects.set(m[1] ?? '', { dict, stream: bytes && dict.includes('/FlateDecode') ? inflateSync(bytes) : bytes });
  }
  const cmaps = new Map<string, Map<number, string>>();
  for (const m of raw.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(objects.get(m[2] ?? '')?.dict ?? '')?.[1];
    const cmap = new Map<number, string>();
    for (const r of (objects.get(ref ?? '')?.stream?.toString('latin1') ?? '').matchAll(/<([0-9a-f]{4})> <[0-9a-f]{4}> \[([^\]]*)\]/gi)) {
      [...(r[2] ?? '').matchAll(/<([0-9a-f]+)>/gi)].forEach((d, i) => cmap.set(parseInt(r[1] ?? '', 16) + i, Buffer.from(d[1] ?? '', 'hex').swap16().toString('utf16le')));
    }
    cmaps.set(m[1] ?? '', cmap);
  }
  const kids = /\/Type \/Pages\n\/Count \d+\n\/Kids \[([^\]]*)\]/.exec(raw)?.[1] ?? '';
  return [...kids.matchAll(/(\d+) 0 R/g)].map((kid) => {
    const contents = /\/Contents (\d+) 0 R/.exec(objects.get(kid[1] ?? '')?.dict ?? '')?.[1] ?? '';
    const ops = objects.get(contents)?.stream?.toString('latin1') ?? '';
    let cmap = new Map<number, string>();
    const lines: string[] = [];
    for (const op of ops.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (op[1]) { cmap = cmaps.get(op[1]) ?? new Map(); continue; }
      const codes = [...(op[2] ?? '').matchAll(/<([0-9a-f]*)>/gi)].flatMap((h) => (h[1] ?? '').match(/.{4}/g) ?? []);
      lines.push(codes.map((c) => cmap.get(parseInt(c, 16)) ?? '\ufffd').join(''));
    }
    return lines.join('\n');
  });
}

function pdftotextAvailable(): boolean {
  const probe = spawnSync('pdftotext', ['-v']);
  return !probe.error;
}

describe('department report PDF', () => {
  let pdf: Buffer;
  let empty: Buffer;
  before(async () => {
    [pdf, empty] = await Promise.all([departmentReportPdf(REPORT), departmentReportPdf(NO_OVERDUE)]);
  });

  test('is a PDF with the Noto Sans CJK SC faces embedded', () => {
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/FontName \/[A-Z]{6}\+NotoSansCJKsc-Regular/);
    assert.match(raw, /\/FontName \/[A-Z]{6}\+NotoSansCJKsc-Bold/);
  });

  test('pdftotext reads the Chinese text back', (t) => {
    if (!pdftotextAvailable()) { t.skip('pdftotext not installed (Debian poppler-utils)'); return; }
    const dir = mkdtempSync(join(tmpdir(), 'cityops-report-'));
    try {
      const read = (buffer: Buffer, name: string) => {
        writeFileSync(join(dir, name), buffer);
        const out = spawnSync('pdftotext', ['-enc', 'UTF-8', join(dir, name), '-'], { encoding: 'utf8' });
        assert.equal(out.status, 0, out.stderr);
        return out.stdout;
      };
      // pdftotext infers spaces from glyph positions, and drops those between CJK and digits ("第1页"): compare without them.
      const text = read(pdf, 'report.pdf');
      const squeezed = text.replace(/\s+/g, '');
      for (const expected of [REPORT.title, '市市容环境卫生管理处', '按期处置率', '93.06%', '2.14%', '超时案件清单', '未反馈', '第 1 页 / 共 1 页']) {
        assert.ok(squeezed.includes(expected.replace(/\s+/g, '')), `pdftotext output lacks ${expected}`);
      }
      assert.ok(!text.includes('本期无超时案件'));
      assert.ok(read(empty, 'empty.pdf').includes('本期无超时案件'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('one page: title, period line, every row with its texts, totals, notes, overdue list, page number', () => {
    const pages = pdfkitPageTexts(pdf);
    assert.equal(pages.length, 1);
    const lines = (pages[0] ?? '').split('\n');
    const has = (line: string) => assert.ok(lines.includes(line), `no line ${JSON.stringify(line)} in\n${lines.join('\n')}`);
    has(REPORT.title);
    has('统计周期：2026年10月下半月　　统计截至 2026-11-01 00:00　　生成时间 2026-11-02 09:30');
    for (const header of HEADER) has(header);
    for (const cell of ['1（并列）', '市市容环境卫生管理处', '160', '93.06%', '2.14%', '97.83%', '↑2', '↓1', '3.57%', '100.00%', '市园林绿化管理局']) has(cell);
    for (const cell of ['合计', '314', '288', '2.86%', '98.92%']) has(cell);
    for (const note of REPORT.notes) has(note);
    for (const cell of ['超时案件清单', '2026102600123', '2026-10-27 10:05', '3.9', '未反馈', '4.0']) has(cell);
    has('第 1 页 / 共 1 页');
    assert.ok(!lines.includes('本期无超时案件'));
  });

  test('an empty overdue list prints 本期无超时案件 under the heading', () => {
    const lines = pdfkitPageTexts(empty).join('\n').split('\n');
    assert.ok(lines.includes('超时案件清单'));
    assert.ok(lines.includes('本期无超时案件'));
    assert.ok(!lines.includes('未反馈'));
  });

  test('a table longer than a page repeats its header row on every page, and each page is numbered', async () => {
    const rows = Array.from({ length: 45 }, (_, i): DepartmentReportRow => ({
      ...HWC, rank: i + 1, tied: false, department: { ...HWC.department, id: 100 + i, name: `第${i + 1}测试管理处` },
    }));
    const pages = pdfkitPageTexts(await departmentReportPdf({ ...NO_OVERDUE, rows }));
    assert.ok(pages.length >= 2, `${pages.length} page(s)`);
    const tablePages = pages.filter((p) => /第\d+测试管理处/.test(p));
    assert.ok(tablePages.length >= 2, 'the table spans pages');
    for (const page of tablePages) assert.ok(page.split('\n').includes('名次变化'), `a table page without the header:\n${page}`);
    // Every department printed once, in order, none lost at a page break.
    const printed = pages.join('\n').split('\n').filter((l) => /^第\d+测试管理处$/.test(l));
    assert.deepEqual(printed, rows.map((r) => r.department.name));
    pages.forEach((page, i) => assert.ok(page.split('\n').includes(`第 ${i + 1} 页 / 共 ${pages.length} 页`), `page ${i + 1} footer`));
  });
});
