// 绩效评价 in headless Chromium on the demo city (SQLite): the leader opens the page and reads the districts ranked
// with their grades for the last full month, as the API ranks them, opens a district's components and drills into
// its streets and back; a district government is refused a neighbour's streets with a message, not a crash; the
// office makes the department scheme's weights add to 110 and sees the server's error under the weight column, then
// saves a valid change and sees version 1 in force and in the ranking; a department reads the department ranking,
// is offered no region or post tab, and reads the scheme with its inputs disabled.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { apiOf, launchBrowser, PageWatch, shotDir, signInPage } from './support/browser.ts';

interface Item { rank: number | null; unit: { code: string; name: string }; score: number | null; grade: string | null }

describe('performance evaluation in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const watch = new PageWatch();
  const newPage = async (): Promise<Page> => watch.watch(await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage());
  const openPerformance = async (page: Page, username: string) => {
    await signInPage(page, server.base, username);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '绩效评价' }).click();
    await page.getByRole('tablist', { name: '评价对象' }).getByRole('tab').first().waitFor();
  };
  const table = (page: Page) => page.getByRole('table', { name: '绩效评价排名' });
  /** The units' names in the order the table lists them, once it shows `first` first. */
  const listed = async (page: Page, first: string) => {
    await table(page).locator('tbody tr[data-unit]').first().filter({ hasText: first }).waitFor();
    return (await table(page).locator('tbody tr[data-unit] td:nth-child(2)').allInnerTexts()).map((s) => s.replace(/(本单位)?(未评分|部分指标无数据)?$/, '').trim());
  };

  before(async () => {
    server = await startDemoServer(40);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the leader reads the districts ranked with grades for the last full month, opens one\'s components and drills into its streets', async () => {
    const api = apiOf(server.base);
    const token = await api.login('leader');
    const expected = await api.get<{ period: { zh: string }; items: Item[] }>(token, '/api/performance/region');
    assert.ok(expected.items.length >= 5 && expected.items[0]!.rank === 1 && expected.items[0]!.grade, JSON.stringify(expected.items[0]));

    const page = await newPage();
    await openPerformance(page, 'leader');
    const subjects = await page.getByRole('tablist', { name: '评价对象' }).getByRole('tab').allInnerTexts();
    assert.deepEqual(subjects, ['区域评价', '部门评价', '监督员评价', '受理员评价', '值班长评价', '派遣员评价']);
    const names = await listed(page, expected.items[0]!.unit.name);
    assert.deepEqual(names, expected.items.map((i) => i.unit.name));
    const info = (await page.getByTestId('perf-scheme').textContent()) ?? '';
    assert.ok(info.includes(expected.period.zh) && info.includes('区域评价(GB/T 30428.4)') && info.includes('系统默认方案'), info);
    const first = table(page).locator('tbody tr[data-unit]').first();
    assert.equal((await first.locator('td').first().textContent())?.trim(), '1');
    assert.equal(await first.locator('.perf-grade').textContent(), expected.items[0]!.grade);
    assert.equal((await first.locator('td.num.strong').textContent())?.trim(), expected.items[0]!.score!.toFixed(2));
    const grades = await table(page).locator('.perf-grade').allTextContents();
    assert.ok(grades.length >= 5 && grades.every((g) => /^[A-E]$/.test(g)), grades.join());

    // A district's components and indicators.
    const district = expected.items[0]!.unit;
    await page.getByRole('button', { name: `${district.name} 的明细` }).click();
    const components = page.getByRole('table', { name: `${district.name} 的评分项` });
    assert.equal(await components.locator('tbody tr').count(), 4);
    assert.match(await components.innerText(), /按期结案率[\s\S]*40/);
    assert.match(await page.getByRole('table', { name: `${district.name} 的指标` }).innerText(), /结案率\s+\d+\s+\d+\s+[\d.]+%/);
    await page.screenshot({ path: join(shotDir, 'performance-regions-zh.png'), fullPage: true });

    // Into its streets, and back up by the breadcrumb.
    const streets = await api.get<{ items: Item[] }>(token, `/api/performance/region?parent=${district.code}`);
    await table(page).getByRole('button', { name: district.name, exact: true }).click();
    const crumbs = page.getByRole('navigation', { name: '区域层级' });
    await crumbs.getByText(district.name).waitFor();
    assert.deepEqual(await listed(page, streets.items[0]!.unit.name), streets.items.map((i) => i.unit.name));
    await crumbs.getByRole('button', { name: '清澜市' }).click();
    assert.deepEqual(await listed(page, expected.items[0]!.unit.name), expected.items.map((i) => i.unit.name));
    await page.context().close();
  });

  test('a district government opens the city\'s ranking of districts; a neighbour\'s streets are refused with a message', async () => {
    const page = await newPage();
    await openPerformance(page, 'qu990102');
    await table(page).locator('tr[data-unit="990102"]').waitFor();
    // Only its own district opens onto its streets.
    await table(page).locator('tr[data-unit="990102"]').getByRole('button', { name: '临江区', exact: true }).waitFor();
    assert.equal(await table(page).locator('tr[data-unit="990105"] button.link-btn').filter({ hasText: '滨湖区' }).count(), 0);
    await page.goto(`${server.base}/#/performance?subject=region&parent=990105`);
    const alert = page.getByRole('alert').filter({ hasText: '您无权查看此排名' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /outside your scope/);
    await page.context().close();
  });

  test('the office sees weights that do not add to 100 refused beside the weight inputs, then saves a valid change as version 1', async () => {
    const page = await newPage();
    await openPerformance(page, 'kpb');
    await page.getByRole('tablist', { name: '评价对象' }).getByRole('tab', { name: '部门评价' }).click();
    await page.getByRole('tablist', { name: '视图' }).getByRole('tab', { name: '评价方案' }).click();
    const form = page.getByRole('form', { name: '评价方案' });
    const weights = form.getByRole('table', { name: '评分项' });
    await weights.getByLabel('结案率 权重').fill('40');
    assert.equal((await form.getByTestId('weight-total').textContent())?.trim(), '110');
    await form.getByLabel('修改原因').fill('提高结案率权重');
    await form.getByRole('button', { name: '保存为新版本' }).click();
    const issue = weights.locator('.field-error[data-field="scheme.components"]');
    await issue.waitFor();
    assert.match((await issue.textContent()) ?? '', /weights must add up to 100, not 110/);
    // It stands in the weight column, under the weights.
    const [issueBox, weightBox] = [await issue.boundingBox(), await weights.getByLabel('返工率 权重').boundingBox()];
    assert.ok(issueBox && weightBox && Math.abs(issueBox.x - weightBox.x) < 40 && issueBox.y > weightBox.y, `${JSON.stringify(issueBox)} vs ${JSON.stringify(weightBox)}`);
    await page.screenshot({ path: join(shotDir, 'performance-scheme-error-zh.png'), fullPage: true });
    assert.equal((await page.getByTestId('scheme-version').textContent())?.includes('系统默认方案'), true, 'nothing was saved');

    await weights.getByLabel('返工率 权重').fill('20');
    assert.equal((await form.getByTestId('weight-total').textContent())?.trim(), '100');
    await form.getByRole('button', { name: '保存为新版本' }).click();
    await form.getByRole('status').filter({ hasText: '已保存为第 1 版' }).waitFor();
    await page.getByTestId('scheme-version').filter({ hasText: '第 1 版' }).waitFor();
    const versions = page.getByRole('table', { name: '版本记录' });
    assert.match(await versions.innerText(), /第 1 版\s*现行[\s\S]*提高结案率权重/);
    assert.equal(await weights.locator('.field-error').count(), 0);
    // The ranking is now scored under it, and says so.
    await page.getByRole('tablist', { name: '视图' }).getByRole('tab', { name: '排名' }).click();
    await page.getByTestId('perf-scheme').filter({ hasText: '第 1 版' }).waitFor();
    await page.context().close();
  });

  test('a department reads the department ranking, is offered no region or post tab, and reads the scheme without editing it', async () => {
    const page = await newPage();
    await openPerformance(page, 'bm-hwc');
    const subjects = await page.getByRole('tablist', { name: '评价对象' }).getByRole('tab').allInnerTexts();
    assert.deepEqual(subjects, ['部门评价']);
    // Its own row is marked.
    await table(page).locator('tr[data-unit="HWC"][aria-current="true"]').getByText('本单位').waitFor();
    assert.ok(await table(page).locator('tbody tr[data-rank]').count() > 10);
    // Departments without enough data this month follow, marked.
    await table(page).locator('tr.perf-unscored-head').filter({ hasText: '未评分单位' }).waitFor();
    await page.getByRole('tablist', { name: '视图' }).getByRole('tab', { name: '评价方案' }).click();
    const form = page.getByRole('form', { name: '评价方案' });
    await form.getByLabel('结案率 权重').waitFor();
    assert.equal(await form.getByLabel('结案率 权重').isDisabled(), true);
    assert.equal(await form.getByRole('button', { name: '保存为新版本' }).count(), 0);
    await page.getByText('仅考评办和系统管理员可以修改评价方案。').waitFor();
    await page.context().close();
    watch.assertClean();
  });
});
