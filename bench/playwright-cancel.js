// The demo cancel flow written as a Playwright user would: role and label locators,
// Playwright's own auto-waiting, Debian's Chromium. One run, one browser, like jieyue.
//   node playwright-cancel.js web|h5|mini BASE_URL USER PASSWORD OUT_DIR
//   node playwright-cancel.js gen BASE_URL PATH_JSON - OUT_DIR
// A generated platform (gen) is followed by its path (/__demo/gen/SEED/path): the selectors a
// person who read the page's markup would press, in order.
const { chromium } = require('playwright-core');

const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

const flows = {
  async web(page, base, user, pw) {
    await page.goto(`${base}/login`);
    await page.getByLabel('账号').fill(user);
    await page.getByLabel('密码', { exact: true }).fill(pw);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('退出登录').waitFor();
    await page.locator('#nav-member').click();
    await page.locator('aside').getByRole('link', { name: '当前会员' }).click();
    await page.getByRole('link', { name: '服务详情' }).click();
    await page.getByText('取消自动续费', { exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '确认要关闭自动续费吗？' });
    await dialog.getByLabel('登录密码').fill(pw);
    await dialog.getByLabel('我已了解相关说明').check();
    await dialog.getByRole('button', { name: '确定', exact: true }).click();
    await page.getByText('已关闭自动续费').first().waitFor();
  },
  async h5(page, base, user, pw) {
    await page.goto(`${base}/h5/login`);
    await page.getByLabel('手机号 / 账号').fill(user);
    await page.getByLabel('密码').fill(pw);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '我的' }).click();
    await page.getByRole('link', { name: '设置' }).click();
    await page.getByRole('link', { name: '支付设置' }).click();
    await page.getByRole('link', { name: '自动续费管理' }).click();
    await page.getByRole('switch', { name: '自动续费' }).click();
    await page.getByText('残忍离开').click();
    await page.getByRole('button', { name: '确认关闭' }).click();
    await page.getByText('自动续费：已关闭').waitFor();
  },
  async mini(page, base, user, pw) {
    await page.goto(`${base}/mini/login`);
    await page.getByLabel('账号').fill(user);
    await page.getByLabel('密码').fill(pw);
    await page.getByRole('button', { name: '授权并登录' }).click();
    await page.getByRole('link', { name: '管理会员' }).click();
    await page.getByRole('link', { name: '续费设置' }).click();
    const frame = page.frameLocator('iframe');
    await frame.getByRole('checkbox', { name: '续费开关' }).click();
    await frame.getByRole('button', { name: '确定', exact: true }).click();
    await frame.getByText('续费开关已关闭').waitFor();
  },
  async gen(page, base, pathJson) {
    const path = JSON.parse(pathJson);
    if (path.accept_native) page.on('dialog', (d) => d.accept());
    await page.goto(`${base}${path.start}`);
    for (const move of path.moves) {
      await page.locator(`${move.click} >> visible=true`).first().click();
    }
    await page.getByText(path.success).first().waitFor();
  },
};

(async () => {
  const [kind, base, user, pw, out] = process.argv.slice(2);
  const carrier = kind === 'gen' ? JSON.parse(user).carrier : kind;
  const browser = await chromium.launch({
    executablePath: process.env.JIEYUE_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const mobile = carrier !== 'web';
  const context = await browser.newContext(mobile
    ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
        userAgent: carrier === 'mini' ? `${PHONE_UA} MicroMessenger/8.0.47 miniProgram` : PHONE_UA }
    : { viewport: { width: 1366, height: 768 } });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  try {
    await flows[kind](page, base, user, pw);
    await page.screenshot({ path: `${out}/proof.png`, fullPage: true });
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
