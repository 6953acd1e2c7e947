// Points ledgers in headless Chromium on the demo city: the office records now and sees the year's totals of the
// responsibility areas with a yellow card (黄牌); a citizen, without signing in, reads the public credit list,
// opens a muck-transport company's record and files an appeal with its credit code; the office upholds it, the
// deduction is reversed and the company's level moves from B to A, as the appeal's number shows the public. The
// office opens a unit's own ledger, edits the company's details and reverses its other deduction from its page, and
// edits the rules by form: a threshold saved as a new version, a positive deduction refused beside its input; a
// leader reads the same form with its inputs disabled. On SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../server/src/test/databases.ts';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { launchBrowser, PageWatch, shotDir, signInPage } from './support/browser.ts';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`points and credit in headless Chromium [${dialect}]`, () => {
    let pgDb: TestDatabase | undefined;
    let server: RunningServer;
    let browser: Browser;
    const watch = new PageWatch();
    let appealCode = '';
    // The demo's muck-transport company with two attributed 06014 cases (seed-demo-credit.ts): 100 − 2 × 10 = 80, level B.
    const company = /顺达渣土运输有限公司/;

    const newPage = async (): Promise<Page> => watch.watch(await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage());

    before(async () => {
      if (dialect === 'postgres') pgDb = await createTestDatabase('postgres');
      server = await startDemoServer(dialect === 'sqlite' ? 37 : 38, 400, pgDb ? { databaseUrl: pgDb.url } : {});
      browser = await launchBrowser();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
      await pgDb?.dispose();
    });

    test('the office records now and sees the areas\' totals with a yellow card', async () => {
      const page = await newPage();
      await signInPage(page, server.base, 'kpb');
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '累计加减分' }).click();
      await page.getByRole('tab', { name: '考评办操作' }).click();
      const sweep = page.getByRole('region', { name: '立即计分' });
      await sweep.getByRole('button', { name: '立即计分' }).click();
      await sweep.getByRole('status').waitFor();
      // From the mark: the window it read is named (the hourly job may have read most of it already).
      assert.match((await sweep.getByRole('status').textContent()) ?? '', /^已读取.+至.+的记录。责任区新增/);
      await page.getByRole('tab', { name: '责任区', exact: true }).click();
      const table = page.getByRole('table', { name: '责任区' });
      await table.locator('tr[data-level="yellow_card"]').first().waitFor();
      assert.equal(await table.locator('tr[data-level="yellow_card"] .pts-level').first().textContent(), '黄牌');
      await page.screenshot({ path: join(shotDir, 'points-areas-zh.png'), fullPage: true });
      // A yellow-carded area's ledger: its entries with their source and who recorded them.
      await table.locator('tr[data-level="yellow_card"]').first().getByRole('button', { name: '查看明细' }).click();
      await page.getByRole('table', { name: '加减分明细' }).locator('tr[data-entry]').first().waitFor();
      await page.getByRole('tab', { name: '预警与黄牌' }).click();
      await page.getByRole('table', { name: '预警与黄牌' }).locator('tr[data-level="yellow_card"]').first().waitFor();
      // A unit's own ledger, opened from the units' totals like an area's: its entries add up to its total.
      await page.getByRole('tab', { name: '责任单位' }).click();
      const unit = page.getByRole('table', { name: '责任单位' }).locator('tbody tr').first();
      const [unitName, unitTotal] = [await unit.locator('td').nth(1).textContent(), Number(await unit.locator('td.num.strong').textContent())];
      await unit.getByRole('button', { name: '查看明细' }).click();
      await page.getByText(`${unitName} 的加减分明细`).waitFor();
      const ledger = page.getByRole('table', { name: '加减分明细' });
      await ledger.locator('tr[data-entry]').first().waitFor();
      assert.ok(unitTotal < 0 && (await ledger.locator('tr[data-entry]').count()) > 0, `${unitName}: ${unitTotal}`);
      await page.context().close();
    });

    test('a citizen reads the public credit list without signing in and files an appeal with the company\'s credit code', async () => {
      const page = await newPage();
      await page.goto(`${server.base}/#/public/credit`);
      const row = page.getByRole('table', { name: '城市管理信用积分公示' }).getByRole('row').filter({ hasText: company });
      assert.equal(await row.locator('.credit-level').getAttribute('data-level'), 'B');
      const code = (await row.getAttribute('data-code'))!;
      await page.screenshot({ path: join(shotDir, 'credit-public-list-zh.png'), fullPage: true });
      await row.getByRole('link', { name: company }).click();
      await page.getByRole('button', { name: '申诉' }).first().click();
      const form = page.getByRole('form', { name: /提出申诉/ });
      await form.getByLabel('本单位统一社会信用代码').fill(code);
      await form.getByLabel('申诉理由').fill('该车辆当日未在本公司运输任务中，已提供出车记录');
      await form.getByRole('button', { name: '提交申诉' }).click();
      const done = page.getByRole('status').filter({ hasText: '申诉编号' });
      appealCode = /XY\d{4}[A-Z0-9]{8}/.exec((await done.textContent()) ?? '')![0];
      await page.screenshot({ path: join(shotDir, 'credit-appeal-filed-zh.png'), fullPage: true });
      await page.context().close();
    });

    test('the office upholds the appeal; the public sees it upheld and the company back at level A', async () => {
      assert.ok(appealCode, 'the appeal was filed');
      const page = await newPage();
      await signInPage(page, server.base, 'kpb');
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '信用积分' }).click();
      await page.getByRole('tab', { name: '申诉处理' }).click();
      const card = page.getByRole('article', { name: appealCode });
      await card.getByLabel('处理意见(必填)').fill('经核查出车记录，该案件车辆不属于该公司，申诉成立');
      await card.getByRole('button', { name: /申诉成立/ }).click();
      await card.waitFor({ state: 'detached' });
      await page.context().close();

      const citizen = await newPage();
      await citizen.goto(`${server.base}/#/public/credit?appeal=${appealCode}`);
      await citizen.getByRole('region', { name: '申诉进度查询' }).getByText('申诉成立', { exact: true }).waitFor();
      const row = citizen.getByRole('table', { name: '城市管理信用积分公示' }).getByRole('row').filter({ hasText: company });
      assert.equal(await row.locator('.credit-level').getAttribute('data-level'), 'A');
      assert.equal((await row.locator('td.num').textContent())?.trim(), '90');
      await citizen.screenshot({ path: join(shotDir, 'credit-appeal-upheld-zh.png'), fullPage: true });
      await citizen.context().close();
    });

    test('the office edits the company\'s details and reverses its remaining deduction from its page', async () => {
      const page = await newPage();
      await signInPage(page, server.base, 'kpb');
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '信用积分' }).click();
      await page.getByRole('table', { name: '信用主体' }).getByRole('link', { name: company }).click();
      await page.getByRole('button', { name: '修改登记信息' }).click();
      const edit = page.getByRole('form', { name: '修改登记信息' });
      await edit.getByLabel('地址').fill('江北新区渣土消纳场东门');
      await edit.getByRole('button', { name: '保存' }).click();
      await edit.waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: '江北新区渣土消纳场东门' }).waitFor();
      // 90 after the appeal: its other −10 deduction, reversed with a reason, takes it back to 100.
      assert.equal((await page.getByTestId('credit-score').textContent())?.trim(), '90');
      const open = page.getByRole('table', { name: '加减分明细' }).locator('tr[data-event="violation"]').filter({ has: page.getByRole('button', { name: '更正' }) });
      await open.first().getByRole('button', { name: '更正' }).click();
      const fix = page.getByRole('form', { name: /更正第\d+号记录/ });
      await fix.getByLabel('更正理由').fill('案件车辆登记在他公司名下，认定有误');
      await fix.getByRole('button', { name: '确认冲销' }).click();
      await fix.waitFor({ state: 'detached' });
      await page.getByTestId('credit-score').filter({ hasText: '100' }).waitFor();
      await page.screenshot({ path: join(shotDir, 'credit-subject-corrected-zh.png'), fullPage: true });
      await page.context().close();
    });

    test('the office edits the rules by form: a threshold saved as a new version, a positive deduction refused beside its input', async () => {
      const page = await newPage();
      await signInPage(page, server.base, 'kpb');
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '累计加减分' }).click();
      await page.getByRole('tab', { name: '计分规则' }).click();
      const form = page.getByRole('form', { name: '计分规则' });
      const version = page.getByTestId('rules-version');
      await version.filter({ hasText: '第0版' }).waitFor();
      const yellow = form.getByRole('table', { name: '预警阈值' }).getByLabel('门前三包 黄牌', { exact: true });
      assert.equal(await yellow.inputValue(), '-20');
      await yellow.fill('-25');
      await form.getByLabel('修改说明').fill('门前三包黄牌阈值调整为-25分');
      await form.getByRole('button', { name: '保存为新版本' }).click();
      await form.getByRole('status').filter({ hasText: '已保存为第1版' }).waitFor();
      await version.filter({ hasText: '现行第1版' }).waitFor();
      assert.equal(await yellow.inputValue(), '-25');
      // The JSON view edits the same object: the value typed in the form is there, and back in the form it stays.
      const jsonView = page.getByLabel('以JSON编辑(高级)');
      await jsonView.check();
      assert.match(await form.getByLabel('规则内容(JSON)').inputValue(), /"yellow_card": -25\b/);
      await jsonView.uncheck();
      // A positive deduction: the server names rules.events.finding.frontage, shown in the input's own cell and in the
      // error panel; nothing is saved.
      const findingCell = form.getByRole('table', { name: '扣分标准(每起)' }).getByRole('cell').filter({ has: page.getByLabel('暗访发现问题 门前三包', { exact: true }) });
      const finding = findingCell.getByLabel('暗访发现问题 门前三包', { exact: true });
      assert.equal(await finding.inputValue(), '-1');
      await finding.fill('1');
      await form.getByRole('button', { name: '保存为新版本' }).click();
      await findingCell.locator('.field-error[data-field="rules.events.finding.frontage"]').filter({ hasText: 'must be below 0' }).waitFor();
      assert.equal(await finding.getAttribute('aria-invalid'), 'true');
      await form.getByRole('alert').filter({ hasText: 'rules.events.finding.frontage' }).waitFor();
      await page.screenshot({ path: join(shotDir, 'points-rules-form-zh.png'), fullPage: true });
      assert.match((await version.textContent()) ?? '', /现行第1版/);
      await page.context().close();

      // A leader reads the rules in force with every input disabled.
      const leader = await newPage();
      await signInPage(leader, server.base, 'leader');
      await leader.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '累计加减分' }).click();
      await leader.getByRole('tab', { name: '计分规则' }).click();
      const read = leader.getByRole('form', { name: '计分规则' }).getByRole('table', { name: '预警阈值' }).getByLabel('门前三包 黄牌', { exact: true });
      assert.equal(await read.inputValue(), '-25');
      assert.equal(await read.isDisabled(), true);
      await leader.context().close();
      watch.assertClean();
    });
  });
}
