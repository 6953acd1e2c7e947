// Key tasks (挂图作战) in headless Chromium on the demo city: the office's board with its status colours, a
// district government reporting progress with a photo and submitting a milestone from its own list, and the
// office accepting it on the task page; the office writing a task and its milestone through the forms, a due date
// after the task's end shown with the server's message beside the field.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { launchBrowser, PageWatch, PNG_FILE, shotDir } from './support/browser.ts';

type Json = Record<string, any>;
const DAY = 86_400_000;
const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe('key-task supervision in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const watch = new PageWatch();
  let office = '';
  let planId = 0;
  let district = { code: '', name: '' };
  let year = 0;

  const login = async (username: string) => ((await (await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo12345' }) })).json()) as { token: string }).token;
  const api = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${server.base}${path}`, { method, headers: { authorization: `Bearer ${office}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json = await res.json() as Json;
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const signIn = async (username: string): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = watch.watch(await ctx.newPage());
    await page.goto(server.base);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('demo12345');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    return page;
  };

  before(async () => {
    server = await startDemoServer(31);
    office = await login('kpb');
    browser = await launchBrowser();
    const districts = (await api('GET', '/api/territory/nodes?level=district&limit=5')).items as { code: string; name: string }[];
    district = districts[0]!;
    const city = ((await api('GET', '/api/territory/nodes?level=city')).items as { code: string }[])[0]!;
    const department = ((await api('GET', '/api/departments')).items as { code: string; kind: string }[]).find((d) => d.kind === 'professional')!;
    const due = beijingDate(Date.now() + 3 * DAY);
    year = Number(due.slice(0, 4));
    await api('PUT', '/api/key-tasks/score-rules/demo', { rule: { name: '专项工作评分细则', base: 100, points: { overdue: { lead: 5, cooperating: 2 }, returned: { lead: 2, cooperating: 0 }, early: { lead: 1, cooperating: 0.5 } }, earlyDays: 7, bonusCap: 5, min: 0, max: 100 } });
    planId = (await api('POST', '/api/key-tasks/plans', { code: 'e2e', name: `${year}年重点任务（浏览器测试）`, year, ownerCode: city.code, ruleCode: 'demo' })).plan.id;
    await api('POST', `/api/key-tasks/plans/${planId}/tasks`, {
      seq: '1', name: '背街小巷提升改造', target: '完成30条背街小巷提升', startDate: `${year}-01-01`, endDate: `${year}-12-31`,
      lead: { kind: 'territory', code: district.code }, cooperating: [{ kind: 'department', code: department.code }],
      milestones: [{ name: '摸底调查', deliverable: '摸底清单', dueDate: `${year}-01-15` }, { name: '方案编制', deliverable: '提升方案', dueDate: due }],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the office\'s board: the task under its lead unit, one milestone red (overdue), one yellow (due soon)', async () => {
    const page = await signIn('kpb');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '重点任务', exact: true }).click();
    await page.getByRole('link', { name: /浏览器测试/ }).click();
    const unit = page.getByRole('region', { name: district.name });
    await unit.waitFor();
    assert.deepEqual(await unit.locator('.kt-chip').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))), ['overdue', 'due_soon']);
    await page.screenshot({ path: join(shotDir, 'key-tasks-board-zh.png'), fullPage: true });
    await page.context().close();
  });

  test('the district reports progress with a photo and submits the milestone; the office accepts it', async () => {
    const gov = await signIn(`qu${district.code}`);
    await gov.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /我的重点任务/ }).click();
    await gov.getByRole('link', { name: /背街小巷提升改造/ }).first().click();
    const section = gov.getByRole('region', { name: '方案编制' });
    const form = section.getByRole('form', { name: '报告进展' });
    await form.getByLabel('进展说明').fill('提升方案已完成，见现场照片');
    await form.locator('input[name="photos"]').setInputFiles(PNG_FILE);
    await form.getByLabel('已完成，提请验收').check();
    await form.getByRole('button', { name: '提交报告' }).click();
    await section.getByText('提请验收', { exact: true }).waitFor();
    await section.locator('img.thumb').waitFor();
    await gov.screenshot({ path: join(shotDir, 'key-tasks-report-zh.png'), fullPage: true });
    await gov.context().close();

    const page = await signIn('kpb');
    await page.goto(`${server.base}/#/key-tasks/mine`);
    await page.getByRole('link', { name: /背街小巷提升改造/ }).first().click();
    const milestone = page.getByRole('region', { name: '方案编制' });
    await milestone.getByRole('button', { name: '验收通过' }).click();
    await milestone.locator('.kt-chip[data-status="done"]').waitFor();
    await page.screenshot({ path: join(shotDir, 'key-tasks-accepted-zh.png'), fullPage: true });
    await page.context().close();
    watch.assertClean();
  });

  test('the office writes a task and a milestone through the forms; a due date after the task ends is named beside the field', async () => {
    const page = await signIn('kpb');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '重点任务', exact: true }).click();
    await page.getByRole('link', { name: /浏览器测试/ }).click();
    await page.getByRole('button', { name: '新增任务' }).click();
    const form = page.getByRole('form', { name: '新增任务' });
    await form.getByLabel('序号').fill('2');
    await form.getByLabel('任务名称').fill('集贸市场管理');
    await form.getByLabel('目标').fill('解决集贸市场脏、乱、差问题');
    await form.getByLabel('结束日期').fill(`${year}-10-31`);
    await form.getByLabel('牵头单位').selectOption({ label: '市市场监督管理局' });
    await form.getByLabel('配合单位').selectOption([{ label: district.name }]);
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '2 集贸市场管理' }).waitFor();

    const milestone = page.getByRole('form', { name: '新增节点' });
    await milestone.getByLabel('节点名称').fill('市场环境整治');
    await milestone.getByLabel('交付要求').fill('整治台账及照片');
    await milestone.getByLabel('完成时限').fill(`${year}-11-15`);
    await milestone.getByRole('button', { name: '保存' }).click();
    const hint = milestone.locator('[data-field="dueDate"]');
    await hint.waitFor();
    assert.match(await hint.innerText(), new RegExp(`after the task ends \\(${year}-10-31\\)`));
    await page.screenshot({ path: join(shotDir, 'key-tasks-milestone-error-zh.png'), fullPage: true });
    await milestone.getByLabel('完成时限').fill(`${year}-10-15`);
    await milestone.getByLabel('时限精度').selectOption('week');
    await milestone.getByRole('button', { name: '保存' }).click();
    const section = page.getByRole('region', { name: '市场环境整治' });
    await section.waitFor();
    const task = (await api('GET', `/api/key-tasks/plans/${planId}`)).tasks.find((t: Json) => t.name === '集贸市场管理');
    assert.deepEqual(task.units.map((u: Json) => `${u.role}:${u.code}`), ['lead:SCJG', `cooperating:${district.code}`]);
    assert.equal(task.milestones.length, 1);
    assert.equal(task.milestones[0].granularity, 'week');
    await page.screenshot({ path: join(shotDir, 'key-tasks-task-form-zh.png'), fullPage: true });
    await page.context().close();
    watch.assertClean();
  });
});
