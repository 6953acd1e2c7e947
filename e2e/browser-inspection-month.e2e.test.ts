import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { apiOf, launchBrowser, PageWatch, PNG_FILE as PNG, shotDir, signInPage } from './support/browser.ts';

/**
 * 综合考评, one month from the draw to the newspaper: the office opens the round, an evaluator records a
 * finding, the office issues the preliminary result, the district appeals the finding and the office
 * upholds it; finalizing is refused while the window is open. The server is then restarted six days
 * later (libfaketime), the office finalizes and publishes, and the public page shows the month.
 */
describe('an inspection month to a published ranking, in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const watch = new PageWatch();
  const bj = new Date(Date.now() + 8 * 3_600_000);
  const month = `${bj.getUTCFullYear()}-${String(bj.getUTCMonth() + 1).padStart(2, '0')}`;
  const found = { runId: 0, unitCode: '', unitName: '', findingId: 0 };

  before(async () => {
    server = await startDemoServer(5);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = async (username: string) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const p = watch.watch(await ctx.newPage());
    await signInPage(p, server.base, username);
    return { ctx, p };
  };
  /** The API as the evaluation office reads it. */
  const api = async (path: string) => {
    const { login, get } = apiOf(server.base);
    return get(await login('kpb'), path);
  };
  const openRun = async (p: Page) => {
    await p.goto(`${server.base}/#/evaluation`);
    await p.getByRole('link', { name: month }).first().click();
  };

  test('the office opens this month\'s round, an evaluator records a finding at a drawn point with no network (sent once when back), the office enters a score and issues the result', async () => {
    const office = await signIn('kpb');
    try {
      await office.p.getByRole('link', { name: /暗访轮次/ }).click();
      await office.p.getByLabel('考评月份').fill(month);
      await office.p.getByLabel('随机种子').fill('2026');
      await office.p.getByRole('button', { name: '开启本月暗访（双随机抽取）' }).click();
      await office.p.getByText(/随机种子 2026/).waitFor();
      assert.ok(await office.p.locator('tbody tr').count() >= 20, 'points drawn for every district');
    } finally { await office.ctx.close(); }

    // The evaluator records the finding with no network (a basement car park): kept on the phone, sent once when back.
    const evaluator = await signIn('dsf1');
    try {
      const p = evaluator.p;
      await p.getByRole('link', { name: /暗访任务/ }).click();
      await p.getByRole('button', { name: '记录问题' }).first().waitFor();
      await p.evaluate('navigator.serviceWorker.ready.then(() => true)');
      await p.reload();
      await p.getByRole('button', { name: '记录问题' }).first().waitFor();
      await evaluator.ctx.setOffline(true);
      await p.reload();
      await p.getByTestId('points-cached').waitFor();
      await p.getByRole('button', { name: '记录问题' }).first().click();
      const form = p.getByRole('form', { name: '记录问题' });
      await form.getByLabel('考评项目').selectOption('ENV01');
      await form.getByLabel('处数').fill('3');
      await form.getByRole('button', { name: '确定' }).click();
      await form.getByRole('alert').filter({ hasText: 'ENV01 须附现场照片' }).waitFor();
      await form.getByLabel('现场照片').setInputFiles(PNG);
      await form.getByRole('button', { name: '确定' }).click();
      await form.waitFor({ state: 'detached' });
      await p.getByTestId('outbox-count').filter({ hasText: '1' }).waitFor();
      await p.screenshot({ path: join(shotDir, 'evaluator-offline-zh.png'), fullPage: true });
      const before = (await api('/api/evaluation/rounds')).items as { period: string; findings: number }[];
      assert.equal(before.find((r) => r.period === month)!.findings, 0, 'nothing reached the server while offline');
      await evaluator.ctx.setOffline(false);
      await p.getByTestId('outbox-count').filter({ hasText: '0' }).waitFor({ timeout: 20_000 });
      await p.getByRole('status').filter({ hasText: '已发送 1 条离线记录' }).waitFor();
    } finally { await evaluator.ctx.close(); }

    const rounds = (await api('/api/evaluation/rounds')).items as { id: number; period: string }[];
    const round = await api(`/api/evaluation/rounds/${rounds.find((r) => r.period === month)!.id}`);
    const withFindings = (round.points as { unit: { code: string; name: string }; findings: { id: number }[] }[]).filter((x) => x.findings.length > 0);
    assert.equal(withFindings.flatMap((x) => x.findings).length, 1, 'the finding was recorded once');
    const point = withFindings[0]!;
    Object.assign(found, { unitCode: point.unit.code, unitName: point.unit.name, findingId: point.findings[0]!.id });

    const again = await signIn('kpb');
    try {
      await again.p.goto(`${server.base}/#/evaluation/rounds`);
      await again.p.getByLabel('考评月份').fill(month);
      await again.p.getByRole('button', { name: '生成本月考评' }).click();
      await again.p.getByRole('form', { name: '录入分值' }).waitFor();
      assert.match(await again.p.getByRole('table').first().innerText(), /第三方暗访/);
      const entry = again.p.getByRole('form', { name: '录入分值' });
      await entry.getByLabel('分值').fill('88');
      await entry.getByLabel('依据').fill('专项工作台账');
      await entry.getByRole('button', { name: '确定' }).click();
      await again.p.getByRole('button', { name: '下发初步结果' }).click();
      await again.p.getByText('初步结果(申诉期)').waitFor();
      await again.p.screenshot({ path: join(shotDir, 'evaluation-console-zh.png') });
    } finally { await again.ctx.close(); }
    const runs = (await api('/api/evaluation/runs')).items as { id: number; period: string; state: string }[];
    found.runId = runs.find((r) => r.period === month)?.id ?? 0;
    assert.equal(runs.find((r) => r.id === found.runId)?.state, 'preliminary');
  });

  test('the district appeals the finding from its score\'s trace; the office upholds it; finalizing is refused while the window is open', async () => {
    const before = await api(`/api/evaluation/runs/${found.runId}/units/${found.unitCode}/trace`);
    const district = await signIn(`qu${found.unitCode}`);
    try {
      await openRun(district.p);
      await district.p.getByRole('link', { name: found.unitName }).click();
      const row = district.p.locator('tr', { has: district.p.locator('td', { hasText: new RegExp(`^${found.findingId}$`) }) });
      await row.getByRole('button', { name: '申诉' }).click();
      const form = district.p.getByRole('form', { name: '提出申诉' });
      await form.getByRole('button', { name: '提交申诉' }).click();
      await form.getByRole('alert').filter({ hasText: 'text' }).waitFor();
      await form.getByLabel('申诉理由').fill('该点位垃圾为暗访前一小时倾倒，已于当日清运，附清运台账');
      await form.getByLabel('申诉材料（照片）').setInputFiles(PNG);
      await form.getByRole('button', { name: '提交申诉' }).click();
      await district.p.getByRole('status').filter({ hasText: '申诉已提交' }).waitFor();
      await row.getByText('待裁定').waitFor();
    } finally { await district.ctx.close(); }

    const office = await signIn('kpb');
    try {
      await openRun(office.p);
      const appeals = office.p.locator('table', { has: office.p.getByRole('columnheader', { name: '申诉理由' }) });
      await appeals.getByText('暗访前一小时倾倒').waitFor();
      // The evidence photo the district filed is shown to the office.
      await appeals.locator('img[alt="申诉材料（照片）"]').waitFor();
      await appeals.getByRole('button', { name: '裁定', exact: true }).click();
      const ruling = office.p.getByRole('form', { name: '裁定申诉' });
      await ruling.getByLabel('申诉成立').check();
      await ruling.getByLabel('裁定理由').fill('经核实清运台账，申诉成立');
      await ruling.getByRole('button', { name: '裁定', exact: true }).click();
      await appeals.getByText('经核实清运台账，申诉成立').waitFor();
      await office.p.getByRole('button', { name: '确定最终结果' }).click();
      await office.p.getByRole('alert').filter({ hasText: /units may appeal until|申诉/ }).waitFor();
      assert.equal((await api(`/api/evaluation/runs/${found.runId}`)).state, 'preliminary', 'still preliminary');
    } finally { await office.ctx.close(); }

    const after = await api(`/api/evaluation/runs/${found.runId}/units/${found.unitCode}/trace`);
    assert.equal((after.findings as { id: number; voidedByAppealId: number | null }[]).find((f) => f.id === found.findingId)!.voidedByAppealId !== null, true, 'the finding is voided by the ruling');
    assert.equal(after.total, before.total, 'the preliminary result stays as issued');
  });

  test('six days later the window has closed: the office finalizes and publishes, and anyone reads the month\'s ranking', async () => {
    await server.restart({ clockShift: '+6d' });
    const office = await signIn('kpb');
    try {
      await openRun(office.p);
      await office.p.getByRole('button', { name: '确定最终结果' }).click();
      await office.p.getByText('最终结果', { exact: true }).waitFor();
      await office.p.getByRole('button', { name: '发布' }).click();
      await office.p.getByText('已发布', { exact: true }).waitFor();
    } finally { await office.ctx.close(); }

    const published = (await (await fetch(`${server.base}/api/public/rankings`)).json()) as { items: { period: string; ranking: { unit: { code: string }; total: number | null }[] }[] };
    const ours = published.items.find((r) => r.period === month);
    assert.ok(ours, `the public rankings list ${month}`);
    const trace = await api(`/api/evaluation/runs/${found.runId}/units/${found.unitCode}/trace`);
    assert.equal(trace.run.state, 'published');
    // The upheld appeal took the finding's deduction out of the final score.
    const env01 = (trace.score.inspection.items as { itemCode: string; occurrences: number }[]).find((i) => i.itemCode === 'ENV01');
    assert.ok(!env01 || env01.occurrences === 0, `no ENV01 deduction left: ${JSON.stringify(env01)}`);
    assert.equal(ours!.ranking.find((r) => r.unit.code === found.unitCode)!.total, trace.total);

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    try {
      const p = watch.watch(await ctx.newPage());
      await p.goto(`${server.base}/#/public/rankings`);
      const section = p.locator('section.public-ranking', { has: p.getByRole('heading', { name: new RegExp(`^${month} `) }) });
      const row = section.getByRole('row', { name: new RegExp(found.unitName) });
      assert.match(await row.innerText(), new RegExp((trace.total as number).toFixed(2).replace('.', '\\.')));
      await p.screenshot({ path: join(shotDir, 'public-rankings-zh.png') });
    } finally { await ctx.close(); }
  });

  test('a published result is corrected only as a new version with its reason; the published one stays on the public page', async () => {
    const office = await signIn('kpb');
    try {
      await openRun(office.p);
      await office.p.getByRole('button', { name: '更正' }).click();
      const form = office.p.getByRole('form', { name: '更正' });
      await form.getByRole('button', { name: '更正' }).click();
      await office.p.getByRole('alert').filter({ hasText: /reason/ }).waitFor();
      await form.getByLabel('更正原因（将随更正版本公开）').fill('第三方核查台账更新，重算该月得分');
      await form.getByRole('button', { name: '更正' }).click();
      await office.p.getByText('v2 · 更正说明: 第三方核查台账更新，重算该月得分').waitFor();
    } finally { await office.ctx.close(); }
    const runs = (await api('/api/evaluation/runs')).items as { id: number; period: string; version: number; state: string }[];
    assert.deepEqual(runs.filter((r) => r.period === month).map((r) => [r.version, r.state]).sort(), [[1, 'published'], [2, 'draft']]);
    const published = (await (await fetch(`${server.base}/api/public/rankings`)).json()) as { items: { period: string; version: number }[] };
    assert.equal(published.items.find((r) => r.period === month)?.version, 1, 'the public page keeps the published version until the correction is published');
  });

  test('no page error and no server error happened on the way', () => watch.assertClean());
});
