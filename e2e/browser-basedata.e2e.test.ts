import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemoServer, type RunningServer } from './support/serve.ts';
import { apiOf, launchBrowser, PageWatch, shotDir, signInPage } from './support/browser.ts';

const HEADER = 'kind,major_code,major_name,code,name,source_note,origin\n';
const csv = (rows: string[]) => ({ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(HEADER + rows.map((r) => `${r}\n`).join(''), 'utf8') });

describe('base-data administration in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let token = '';
  const watch = new PageWatch();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const api = async (path: string) => (await fetch(`${server.base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, any>>;

  before(async () => {
    server = await startDemoServer(2);
    token = await apiOf(server.base).login('admin');
    browser = await launchBrowser();
    page = watch.watch(await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' }));
    await signInPage(page, server.base, 'admin');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a catalog file with a bad row names the row and field and imports nothing; the corrected file is imported into the version in use', async () => {
    await page.getByRole('link', { name: /部件事项目录/ }).click();
    await page.getByRole('button', { name: '目录版本' }).click();
    const versions = page.getByRole('table', { name: '目录版本' });
    await versions.waitFor();
    assert.match(await versions.innerText(), /GBT47678\.5-2026[\s\S]*使用中/);
    const before = (await api('/api/catalog/versions')).items as { code: string; status: string }[];

    await page.getByRole('button', { name: '导入目录' }).click();
    const form = page.getByRole('region', { name: '导入目录' });
    assert.match(await form.getByLabel('导入到').locator('option:checked').innerText(), /GBT47678\.5-2026.*使用中/);
    await form.getByLabel('CSV 文件').setInputFiles(csv(['matter,99,突发事件类（本地扩展）,99021,窨井冒溢,本市扩展,extension', 'matter,99,突发事件类（本地扩展）,98022,燃气异味,本市扩展,extension']));
    await form.getByRole('button', { name: '开始导入' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /导入失败，未做任何修改/);
    const issue = await alert.locator('table.issues tbody tr').allInnerTexts();
    assert.equal(issue.length, 1, issue.join('\n'));
    assert.match(issue[0]!, /^3\s+code\s+must start with its major code 99/);
    assert.equal((await api('/api/catalog/classes?q=99021')).total, 0, 'nothing imported');
    await page.screenshot({ path: join(shotDir, 'catalog-import-zh.png') });

    await form.getByLabel('CSV 文件').setInputFiles(csv(['matter,99,突发事件类（本地扩展）,99021,窨井冒溢,本市扩展,extension', 'matter,99,突发事件类（本地扩展）,99022,燃气异味,本市扩展,extension']));
    await form.getByRole('button', { name: '开始导入' }).click();
    await form.getByRole('status').filter({ hasText: '新增 2 条' }).waitFor();
    assert.equal(await alert.count(), 0);
    const stored = (await api('/api/catalog/classes?q=9902')).items.map((c: { code: string; name: string; origin: string }) => `${c.code} ${c.name} ${c.origin}`);
    assert.deepEqual(stored, ['99021 窨井冒溢 extension', '99022 燃气异味 extension']);
    assert.deepEqual(((await api('/api/catalog/versions')).items as { code: string; status: string }[]).map((v) => [v.code, v.status]), before.map((v) => [v.code, v.status]), 'the version in use stays the one in use');
    await page.getByLabel('搜索').fill('燃气异味');
    await page.getByRole('table', { name: '部件事项目录' }).locator('tr[data-code="99022"]').waitFor();
  });

  test('an extension class with a wrong code is refused naming the field; a right one is added, found, renamed and taken out of use', async () => {
    await page.getByRole('button', { name: '新增扩展类' }).click();
    const form = page.getByRole('form', { name: '新增扩展类' });
    await form.getByLabel('大类编码').fill('99');
    await form.getByLabel('小类编码').click();
    // The major's name comes from the classes already in that major.
    for (let i = 0; i < 50 && (await form.getByLabel('大类名称').inputValue()) === ''; i++) await page.waitForTimeout(100);
    assert.equal(await form.getByLabel('大类名称').inputValue(), '突发事件类（本地扩展）');
    await form.getByLabel('小类编码').fill('98031');
    await form.getByLabel('名称', { exact: true }).fill('窨井异味');
    await form.getByRole('button', { name: '新增' }).click();
    await form.getByRole('alert').waitFor();
    assert.match(await form.locator('[data-field="code"]').innerText(), /must start with its major code 99/);
    assert.equal((await api('/api/catalog/classes?q=窨井异味')).total, 0);

    await form.getByLabel('小类编码').fill('99031');
    await form.getByRole('button', { name: '新增' }).click();
    await form.waitFor({ state: 'detached' });
    const table = page.getByRole('table', { name: '部件事项目录' });
    const row = table.locator('tr[data-code="99031"]');
    await row.waitFor();
    assert.match(await row.innerText(), /99031\s+窨井异味\s+事件[\s\S]*本地扩展/);

    await page.getByRole('button', { name: '编辑类别 99031' }).click();
    const edit = page.getByRole('form', { name: '编辑类别 99031' });
    await edit.getByLabel('名称', { exact: true }).fill('窨井异味扰民');
    await edit.getByLabel('启用').uncheck();
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.waitFor({ state: 'detached' });
    await table.locator('tr[data-code="99031"].inactive').waitFor();
    const [stored] = (await api('/api/catalog/classes?q=99031')).items as { name: string; active: boolean }[];
    assert.deepEqual([stored!.name, stored!.active], ['窨井异味扰民', false]);
    await page.screenshot({ path: join(shotDir, 'catalog-admin-zh.png') });
  });

  test('a 立结案标准 row\'s time limit: a bad value is refused naming the field and changes nothing; a good one shows after a reload', async () => {
    await page.getByRole('link', { name: /立结案标准/ }).click();
    await page.getByLabel('小类编码').fill('06010');
    const [original] = (await api('/api/case-standards?classCode=06010')).items as { id: number; disposal: string; limit: { value: number; unit: string } }[];
    const row = page.locator(`tr[data-standard="${original!.id}"]`);
    await row.waitFor();
    await page.getByRole('button', { name: `编辑 06010 ${original!.disposal}` }).click();
    const form = page.getByRole('form', { name: /编辑立结案标准：06010/ });
    await form.getByLabel('处置时限数值').fill('0');
    await form.getByRole('button', { name: '保存' }).click();
    await form.getByRole('alert').waitFor();
    assert.match(await form.getByRole('alert').innerText(), /limit\.value/);
    assert.match(await form.locator('[data-field="limit"]').innerText(), /> 0/);
    await page.screenshot({ path: join(shotDir, 'standard-edit-zh.png') });
    assert.deepEqual((await api('/api/case-standards?classCode=06010')).items[0].limit, original!.limit, 'nothing changed');

    await form.getByLabel('处置时限数值').fill('6');
    await form.getByLabel('处置时限单位').selectOption('working_hours');
    await form.getByLabel('紧急程度').selectOption('urgent');
    await form.getByRole('button', { name: '保存' }).click();
    await form.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByLabel('小类编码').fill('06010');
    await row.getByTestId('limit').filter({ hasText: '6 工作时' }).waitFor();
    assert.match(await row.innerText(), /紧急/);
    const [stored] = (await api('/api/case-standards?classCode=06010')).items as { limit: unknown; urgency: string }[];
    assert.deepEqual([stored!.limit, stored!.urgency], [{ value: 6, unit: 'working_hours' }, 'urgent']);
  });

  test('a stage time limit is changed on its own tab; a bad one is refused', async () => {
    await page.getByRole('tab', { name: '环节时限' }).click();
    const row = page.locator('tr[data-stage="dispatch"]');
    await row.waitFor();
    assert.match(await row.innerText(), /派遣\s+15 工作分钟/);
    await row.getByLabel('派遣数值').fill('-1');
    await row.getByRole('button', { name: '保存' }).click();
    await row.getByRole('alert').waitFor();
    assert.match(await row.getByRole('alert').innerText(), /limit\.value/);
    const dispatch = async () => ((await api('/api/stage-limits')).items as { stage: string; limit: unknown }[]).find((s) => s.stage === 'dispatch')!.limit;
    assert.deepEqual(await dispatch(), { value: 15, unit: 'working_minutes' });

    await row.getByLabel('派遣数值').fill('30');
    await row.getByRole('button', { name: '保存' }).click();
    await row.getByRole('status').waitFor();
    await row.getByTestId('current').filter({ hasText: '30 工作分钟' }).waitFor();
    assert.deepEqual(await dispatch(), { value: 30, unit: 'working_minutes' });
    await page.reload();
    await page.locator('tr[data-stage="dispatch"]').filter({ hasText: '已调整' }).waitFor();
    await page.screenshot({ path: join(shotDir, 'stage-limits-zh.png') });
  });

  test('部门管理: a department is created under the city, refused with a bad code, then deactivated', async () => {
    await page.getByRole('link', { name: /部门管理/ }).click();
    const table = page.getByRole('table', { name: '部门管理' });
    await page.getByLabel('搜索').fill('市政设施');
    await table.locator('tr[data-code="SZC"]').waitFor();
    assert.match(await table.locator('tr[data-code="SZC"]').innerText(), /市市政设施管理处\s+专业部门/);
    const city = ((await api('/api/territory/nodes?level=city')).items as { code: string }[])[0]!.code;

    await page.getByRole('button', { name: '新建部门' }).click();
    const form = page.getByRole('form', { name: '新建部门' });
    await form.getByLabel('部门编码').fill('CSGX 01');
    await form.getByLabel('部门名称').fill('市城市更新服务中心');
    await form.getByLabel('类型').selectOption('professional');
    await form.getByLabel('所属辖区').fill(city);
    await form.getByLabel('联系电话').fill('0990-1234567');
    await form.getByRole('button', { name: '创建' }).click();
    await form.locator('[data-field="code"]').waitFor();
    assert.equal(((await api('/api/departments')).items as { name: string }[]).filter((d) => d.name === '市城市更新服务中心').length, 0);

    await form.getByLabel('部门编码').fill('CSGX');
    await form.getByRole('button', { name: '创建' }).click();
    await form.waitFor({ state: 'detached' });
    const row = table.locator('tr[data-code="CSGX"]');
    await row.waitFor();
    assert.match(await row.innerText(), /市城市更新服务中心\s+专业部门[\s\S]*0990-1234567\s+在用/);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '停用部门 CSGX' }).click();
    await table.locator('tr[data-code="CSGX"].inactive').waitFor();
    const stored = ((await api('/api/departments')).items as { code: string; active: boolean; kind: string; territoryCode: string }[]).find((d) => d.code === 'CSGX');
    assert.deepEqual(stored && [stored.active, stored.kind, stored.territoryCode], [false, 'professional', city]);
    await page.screenshot({ path: join(shotDir, 'departments-zh.png') });
  });

  test('a new catalog version is put in use: its 立结案标准 come along, and what has no class in it is named', async () => {
    // A draft version with two classes, loaded through the API (the import panel is tested above).
    const body = HEADER + 'matter,06,市容环境类,06010,暴露垃圾,,standard\ncomponent,01,市政公用设施,01001,供水井盖,,standard\n';
    const loaded = await fetch(`${server.base}/api/catalog/import?version=E2E-2027&name=${encodeURIComponent('演练版')}&activate=false&derive=false`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body });
    assert.equal(loaded.status, 200, await loaded.text());
    await page.goto(`${server.base}/#/catalog`);
    await page.getByRole('button', { name: '目录版本' }).click();
    const versions = page.getByRole('table', { name: '目录版本' });
    const row = versions.getByRole('row', { name: /E2E-2027/ });
    await row.getByRole('button', { name: '启用' }).click();
    await row.getByRole('button', { name: /确认启用/ }).click();
    const notice = page.getByRole('status').filter({ hasText: '已启用 E2E-2027' });
    await notice.waitFor();
    assert.match(await notice.innerText(), /转入立结案标准 [1-9]\d* 条/);
    assert.match(await notice.innerText(), /未能转入的：.*06011/);
    const active = ((await api('/api/catalog/versions')).items as { code: string; status: string }[]).find((v) => v.status === 'active');
    assert.equal(active?.code, 'E2E-2027');
    const standards = (await api('/api/case-standards?classCode=06010&limit=10')).items as unknown[];
    assert.ok(standards.length > 0, 'the 06010 standard applies under the new version');
  });

  test('no page error and no server error along the way', () => watch.assertClean());
});
