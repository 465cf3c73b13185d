import { test, expect } from './fixtures';
import { signIn, hydrated } from './support';

test.use({ locale: 'zh-CN' });

// What Excel on Chinese Windows saves as "CSV (逗号分隔)": GBK bytes, CRLF lines,
// Chinese headers, names instead of codes, dates and prices as people type them:
//   资产编号,名称,型号,类别,部门,存放位置,购置日期,购置价格（元）
//   CODE1,联想拯救者笔记本,Y9000P,笔记本电脑,研发中心,三楼会议室,2026/1/10,"3,500"
//   CODE2,戴尔显示器,U2723QE,显示器,平台组,,2026年1月9日,"￥1,299.00"
const GBK_FILE =
  '18qy+rHgusUsw/uzxizQzbrFLMDgsfAssr/DxSy05rfFzrvWwyy5utbDyNXG2iy5utbDvNu48aOo1KqjqQ0KQ09ERTEswarP69X8vsjV37HKvMexvixZOTAwMFAsscq8x7G+tefE1CzR0Lei1tDQxCzI/cKlu+HS6crSLDIwMjYvMS8xMCwiMyw1MDAiDQpDT0RFMiy097b7z9TKvsb3LFUyNzIzUUUsz9TKvsb3LMa9zKjX6SwsMjAyNsTqMdTCOcjVLCKjpDEsMjk5LjAwIg0K';

function gbkFile(first: string, second: string): Buffer {
  // The asset codes are ASCII, the same bytes in GBK: swap them in as latin1.
  const text = Buffer.from(GBK_FILE, 'base64').toString('latin1');
  return Buffer.from(text.replace('CODE1', first).replace('CODE2', second), 'latin1');
}

test('a GBK file saved by Chinese Excel imports with its Chinese names; a second try names the taken codes', async ({ page }) => {
  const suffix = Date.now().toString(36).toUpperCase();
  const [first, second] = [`GBK-${suffix}-1`, `GBK-${suffix}-2`];
  await signIn(page, 'demo-admin', '/admin/equipment/import');
  await hydrated(page);
  await expect(page.getByRole('link', { name: '下载 Excel 模板' })).toHaveAttribute('href', /equipment-template\.xlsx\?lang=zh/);

  const upload = { name: '设备清单.csv', mimeType: 'text/csv', buffer: gbkFile(first, second) };
  await page.getByLabel('CSV 或 Excel 文件').setInputFiles(upload);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await expect(page.getByTestId('import-report')).toContainText('已导入 2 件设备。');

  await page.goto(`/equipment?q=${first}`);
  await expect(page.locator('table.equipment-table tbody tr')).toHaveCount(1);
  await expect(page.locator('table.equipment-table tbody')).toContainText('联想拯救者笔记本');

  // The same file again: every row's code is taken, all in one report.
  await page.goto('/admin/equipment/import');
  await hydrated(page);
  await page.getByLabel('CSV 或 Excel 文件').setInputFiles(upload);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('未导入任何数据');
  await expect(report.locator('tbody tr')).toHaveCount(2);
  await expect(report.locator('tbody tr').first()).toContainText('资产编号');
});
