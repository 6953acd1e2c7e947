import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { launchBrowser, PageWatch, shotDir } from './support/browser.ts';

interface Answer { status: number; body: any }

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not true within ${ms} ms: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('administration in headless Chromium: work calendar, users and grants, API keys', () => {
  let server: RunningServer;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let adminToken = '';
  const watch = new PageWatch();

  const call = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<Answer> => {
    const response = await fetch(`${server.base}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.token ?? adminToken}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  const login = (username: string, password = 'demo12345') =>
    fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const signIn = async (p: Page, username: string) => {
    await p.goto(server.base);
    await p.getByLabel('用户名').fill(username);
    await p.getByLabel('密码').fill('demo12345');
    await p.getByRole('button', { name: '登录' }).click();
  };

  before(async () => {
    server = await startDemoServer(3);
    adminToken = ((await (await login('admin')).json()) as { token: string }).token;
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', permissions: ['clipboard-read', 'clipboard-write'] });
    page = watch.watch(await ctx.newPage());
    await signIn(page, 'admin');
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the work calendar: a bad date and a bad working period are refused naming the field; a holiday added by clicking the day moves the deadline past it and stays after a reload', async () => {
    const calendar = ((await call('/api/calendars')).body.items as { code: string; isDefault: boolean; timetable: unknown }[]).find((c) => c.isDefault)!;
    const daysOf2026 = async () => (await call(`/api/calendars/${calendar.code}/days?year=2026`)).body.items as { date: string; kind: string; name: string }[];
    const before2026 = await daysOf2026();
    assert.ok(before2026.length > 20, 'the seeded 2026 holidays');
    assert.ok(!before2026.some((d) => d.date === '2026-12-02'));

    await page.getByRole('link', { name: /工作日历/ }).click();
    await page.getByRole('heading', { name: '工作日历' }).waitFor();
    await page.getByLabel('年份').selectOption('2026');

    // 4 working hours from Tue 1 Dec 17:00: 1 h on Tuesday, 3 h on Wednesday → Wed 11:00 (03:00 UTC).
    await page.getByLabel(/起算时间/).fill('2026-12-01T17:00');
    await page.getByLabel('时限', { exact: true }).fill('4');
    await page.getByRole('button', { name: '计算截止时间' }).click();
    await page.getByTestId('due-iso').filter({ hasText: '2026-12-02T03:00:00.000Z' }).waitFor();

    // A date that does not exist: refused at saving, the field and the date named, nothing stored.
    const editor = page.getByRole('region', { name: '维护 2026 年放假安排' });
    const dayForm = editor.getByRole('form', { name: '设置日期' });
    await dayForm.getByLabel('日期', { exact: true }).fill('2026-02-30');
    await dayForm.getByLabel('类型').selectOption('holiday');
    await dayForm.getByLabel('名称').fill('不存在的日子');
    await dayForm.getByRole('button', { name: '加入修改' }).click();
    await editor.getByText(/有 1 处修改尚未保存/).waitFor();
    await editor.getByRole('button', { name: '保存 2026 年安排' }).click();
    const refusal = editor.getByRole('alert');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /days\[\d+\]\.date \(2026-02-30\)/);
    assert.deepEqual(await daysOf2026(), before2026, 'nothing changed');
    await editor.getByRole('button', { name: '撤销修改' }).click();
    await editor.getByText(/尚未保存/).waitFor({ state: 'detached' });

    // A working period that ends before it starts: refused naming timetable[0].end, nothing changed.
    await page.getByRole('button', { name: '修改', exact: true }).click();
    const settings = page.getByRole('form', { name: '日历设置' });
    await settings.getByLabel('第 1 时段结束').fill('07:00');
    await settings.getByRole('button', { name: '保存' }).click();
    await settings.getByRole('alert').waitFor();
    assert.match(await settings.getByRole('alert').innerText(), /timetable\[0\]\.end/);
    assert.deepEqual(((await call('/api/calendars')).body.items as { code: string; timetable: unknown }[]).find((c) => c.code === calendar.code)!.timetable, calendar.timetable);
    await settings.getByRole('button', { name: '取消' }).click();

    // Click 2 December in the month grid, make it a holiday, save: the deadline moves to Thursday.
    await page.locator('.year-grid .month').nth(11).click();
    await page.locator('.month-detail td[data-date="2026-12-02"]').click();
    await until(async () => (await dayForm.getByLabel('日期', { exact: true }).inputValue()) === '2026-12-02');
    assert.equal(await dayForm.getByLabel('类型').inputValue(), 'holiday');
    await dayForm.getByLabel('名称').fill('城市管理开放日');
    await dayForm.getByRole('button', { name: '加入修改' }).click();
    await page.locator('.month-detail td.holiday[data-date="2026-12-02"]').waitFor();
    await editor.getByRole('button', { name: '保存 2026 年安排' }).click();
    await page.getByTestId('due-iso').filter({ hasText: '2026-12-03T03:00:00.000Z' }).waitFor();
    assert.match(await page.getByTestId('due-before').innerText(), /修改日历前的截止时间.*2026\/12\/02/);
    await page.locator('main').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: join(shotDir, 'calendar-edit-zh.png') });
    await editor.screenshot({ path: join(shotDir, 'calendar-year-editor-zh.png') });

    const after2026 = await daysOf2026();
    assert.deepEqual(after2026.find((d) => d.date === '2026-12-02'), { date: '2026-12-02', kind: 'holiday', name: '城市管理开放日' });
    assert.equal(after2026.length, before2026.length + 1);
    const due = await call(`/api/calendars/${calendar.code}/deadline`, { method: 'POST', body: { start: '2026-12-01T17:00:00+08:00', limit: { value: 4, unit: 'working_hours' } } });
    assert.equal(due.body.dueAt, '2026-12-03T03:00:00.000Z');

    await page.reload();
    await page.getByLabel('年份').selectOption('2026');
    await page.locator('.year-grid td.holiday[data-date="2026-12-02"]').waitFor();
    assert.match(await page.getByRole('region', { name: '维护 2026 年放假安排' }).getByRole('table').innerText(), /2026-12-02\s+休\s+城市管理开放日/);
  });

  test('users: the administrator gives a user two roles with their scopes; a wrong territory code is refused naming the field and nothing changes', async () => {
    const find = async (username: string) => ((await call(`/api/users?q=${username}`)).body.items as { id: number; username: string; grants: { role: string; territoryCode: string | null; departmentCode: string | null }[] }[]).find((u) => u.username === username)!;
    const before = await find('shouli4');
    assert.deepEqual(before.grants.map((g) => g.role), ['acceptor']);
    const district = (await call('/api/territory/nodes?level=district&limit=1')).body.items[0] as { code: string; name: string };
    const department = ((await call('/api/departments')).body.items as { code: string; name: string; active: boolean }[]).find((d) => d.active)!;

    await page.getByRole('link', { name: /用户/ }).first().click();
    await page.getByRole('searchbox').fill('shouli4');
    await page.getByRole('cell', { name: 'shouli4', exact: true }).waitFor();
    await page.getByRole('row', { name: /shouli4/ }).first().getByRole('button', { name: /编辑|收起/ }).click();
    const grants = page.getByRole('form', { name: '角色与范围' });
    await grants.waitFor();
    await grants.getByRole('button', { name: '+ 增加角色' }).click();
    const rows = grants.locator('.grant-row');
    assert.equal(await rows.count(), 2);
    await rows.nth(1).getByLabel('角色', { exact: true }).selectOption({ label: '专业部门' });
    await rows.nth(1).getByLabel('部门', { exact: true }).selectOption(department.code);
    await rows.nth(0).getByLabel('辖区编码', { exact: true }).fill('000000');
    await grants.getByRole('button', { name: '保存角色' }).click();
    await grants.getByRole('alert').waitFor();
    assert.match(await grants.getByRole('alert').innerText(), /grants\[0\]\.territoryCode[\s\S]*000000/);
    assert.deepEqual((await find('shouli4')).grants, before.grants, 'nothing changed');

    await rows.nth(0).getByLabel('辖区编码', { exact: true }).fill(district.code);
    await grants.getByRole('button', { name: '保存角色' }).click();
    await grants.getByText('已保存').waitFor();
    const stored = (await find('shouli4')).grants;
    assert.deepEqual(stored.map((g) => [g.role, g.role === 'department' ? g.departmentCode : g.territoryCode]).sort(), [['acceptor', district.code], ['department', department.code]]);

    await page.reload();
    await page.getByRole('searchbox').fill('shouli4');
    const row = page.getByRole('row', { name: /shouli4/ }).first();
    await row.getByText('专业部门').waitFor();
    const text = await row.innerText();
    assert.match(text, /受理员/);
    assert.ok(text.includes(district.name) && text.includes(department.name), text);
    await page.getByRole('row', { name: /shouli4/ }).first().getByRole('button', { name: /编辑|收起/ }).click();
    await page.getByRole('form', { name: '角色与范围' }).waitFor();
    await page.screenshot({ path: join(shotDir, 'user-edit-zh.png') });
    await page.getByRole('row', { name: /shouli4/ }).first().getByRole('button', { name: /编辑|收起/ }).click();
  });

  test('users: a disabled user\'s session ends and the user cannot sign in; enabled again, the user can', async () => {
    const session = ((await (await login('paiqian3')).json()) as { token: string }).token;
    assert.equal((await call('/api/auth/me', { token: session })).status, 200);

    await page.getByRole('searchbox').fill('paiqian3');
    await page.getByRole('cell', { name: 'paiqian3', exact: true }).waitFor();
    await page.getByRole('row', { name: /paiqian3/ }).first().getByRole('button', { name: '编辑' }).click();
    const account = page.getByRole('form', { name: '账号信息' });
    await account.getByLabel('状态').selectOption('disabled');
    await account.getByRole('button', { name: '保存' }).click();
    await account.getByText('已保存').waitFor();
    await page.getByRole('row', { name: /paiqian3/ }).first().getByText('停用').waitFor();

    assert.equal((await call('/api/auth/me', { token: session })).status, 401, 'the open session ended');
    const other = await browser.newContext({ locale: 'zh-CN' });
    try {
      const p = await other.newPage();
      watch.watch(p);
      await signIn(p, 'paiqian3');
      await p.getByRole('alert').waitFor();
      assert.match(await p.getByRole('alert').innerText(), /登录失败/);
      assert.equal(await p.getByRole('navigation', { name: '主导航' }).count(), 0);
    } finally {
      await other.close();
    }
    assert.equal((await login('paiqian3')).status, 403);

    await account.getByLabel('状态').selectOption('active');
    await account.getByRole('button', { name: '保存' }).click();
    await page.getByRole('row', { name: /paiqian3/ }).first().getByText('启用').waitFor();
    assert.equal((await login('paiqian3')).status, 200);
  });

  test('API keys: the administrator issues a key (its secret shown once, copied), an Open311 client reports with it, and once revoked it is refused', async () => {
    await page.getByRole('link', { name: /接口密钥/ }).click();
    await page.getByRole('heading', { name: '接口密钥' }).waitFor();
    await page.getByRole('button', { name: '新建密钥' }).click();
    const form = page.getByRole('form', { name: '新建密钥' });
    // An empty purpose is refused naming the field.
    await form.getByLabel('对接系统').fill('e2e-fixmystreet');
    await form.getByRole('button', { name: '创建' }).click();
    await form.getByRole('alert').waitFor();
    assert.match(await form.getByRole('alert').innerText(), /name/);
    const existing = (await call('/api/api-keys')).body.items.length as number;
    assert.equal(existing, 1, 'the demo client\'s key only: nothing issued');

    await form.getByLabel('用途名称').fill('街巷随手拍对接');
    await form.getByRole('button', { name: '创建' }).click();
    const secretBox = page.getByLabel('密钥', { exact: true });
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    assert.match(secret, /^cok/);
    await page.screenshot({ path: join(shotDir, 'api-key-secret-zh.png') });
    await page.getByRole('button', { name: '复制' }).click();
    await page.getByText('已复制').waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), secret);
    await page.getByRole('button', { name: '我已保存' }).click();
    await secretBox.waitFor({ state: 'detached' });

    const keys = (await call('/api/api-keys')).body.items as { id: number; name: string; client: string; prefix: string; revokedAt: number | null }[];
    assert.equal(keys.length, existing + 1);
    const issued = keys.find((k) => k.name === '街巷随手拍对接')!;
    assert.deepEqual([issued.client, issued.revokedAt], ['e2e-fixmystreet', null]);
    assert.ok(secret.startsWith(issued.prefix));
    await page.reload();
    await page.getByRole('cell', { name: '街巷随手拍对接', exact: true }).waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the secret is not shown again');

    // An Open311 client reports with the key.
    const service = ((await (await fetch(`${server.base}/open311/v2/services.json`)).json()) as { service_code: string }[])[0]!.service_code;
    const street = (await call('/api/territory/nodes?level=street&limit=1')).body.items[0] as { centroid: [number, number] };
    const report = (apiKey: string) => fetch(`${server.base}/open311/v2/requests.json`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: apiKey, service_code: service, lat: String(street.centroid[1]), long: String(street.centroid[0]), description: '路灯不亮（接口密钥测试）' }).toString(),
    });
    const accepted = await report(secret);
    assert.equal(accepted.status, 200, await accepted.clone().text());
    assert.ok(((await accepted.json()) as { service_request_id: string }[])[0]!.service_request_id);

    await page.reload();
    const row = page.getByRole('row', { name: /街巷随手拍对接/ });
    await row.getByText('有效').waitFor();
    assert.doesNotMatch((await row.locator('td').nth(4).innerText()).trim(), /^—$/, 'last used is shown');
    await row.getByRole('button', { name: '吊销 街巷随手拍对接' }).click();
    await row.getByRole('button', { name: '确认吊销' }).click();
    await row.getByText(/已于 .* 吊销/).waitFor();
    const revoked = ((await call('/api/api-keys')).body.items as { id: number; revokedAt: number | null }[]);
    assert.notEqual(revoked.find((k) => k.id === issued.id)!.revokedAt, null);
    assert.equal(revoked.filter((k) => k.revokedAt === null).length, existing, 'the other key is untouched');

    const refused = await report(secret);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /api_key/);
  });

  test('no page error and no server error happened on the way', () => watch.assertClean());
});
