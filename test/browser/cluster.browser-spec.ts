import { Browser } from 'playwright-core';
import { launchChromium, openConsole, screenshot, signIn } from '../support/browser';
import { Cluster, createKeyOn, startCluster } from '../support/cluster';
import { describeCluster } from '../support/cluster-gate';

jest.setTimeout(90_000);

describeCluster('the cluster view, on three replicas with MariaDB and Redis', () => {
  let cluster: Cluster;
  let browser: Browser;

  beforeAll(async () => {
    [cluster, browser] = await Promise.all([startCluster({ size: 3 }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  it('shows every replica, its lag histogram and a probe of each; then names one that goes missing', async () => {
    const [a, b] = cluster.replicas;
    // Changes made on one replica give the others propagation lags to chart.
    for (let index = 0; index < 8; index++) {
      const made = await createKeyOn(index % 2 === 0 ? a : b, { name: `lag ${index}` });
      await a.call(`/api/api-key/${made.id}`, { method: 'DELETE' });
    }
    const { context, page, dialogs, errors } = await openConsole(browser, a.url);
    await signIn(page, cluster.managerKey);
    await page.click('a[data-view="cluster"]');
    const cards = page.locator('article.replica');
    await cards.nth(2).waitFor();
    expect(await cards.count()).toBe(3);
    const nodes = await Promise.all(
      [0, 1, 2].map((index) => cards.nth(index).getAttribute('data-node-id')),
    );
    const described = (await (await a.call('/api/system/cluster')).json()) as {
      replicas: { nodeId: string }[];
    };
    expect(nodes).toEqual(described.replicas.map((replica) => replica.nodeId));
    // Each card: database up, bus subscribed, a lag chart; no warnings on a healthy cluster.
    await expect(page.locator('article.replica dd.bad').count()).resolves.toBe(0);
    await expect(page.locator('article.replica svg.chart').count()).resolves.toBe(3);
    await expect(page.locator('article.replica:has-text("subscribed")').count()).resolves.toBe(3);
    await expect(page.locator('.warnings .warning').count()).resolves.toBe(0);
    // The lag charts fill as the replicas report the changes they received.
    const charted = async () =>
      (await page.locator('article.replica figcaption').allTextContents()).filter(
        (caption) => !caption.includes(' 0 changes'),
      ).length;
    for (let tries = 0; (await charted()) < 2 && tries < 50; tries++)
      await page.waitForTimeout(300);
    expect(await charted()).toBeGreaterThanOrEqual(2);

    await page.click('#probe');
    await page.waitForSelector('.probe-result svg.chart');
    await expect(page.locator('.probe-result svg rect').count()).resolves.toBe(3);
    await expect(page.textContent('.probe-summary')).resolves.toContain('3 answered');
    await screenshot(page, '10-cluster');

    // A replica goes away: once its presence expires, the view names it as missing.
    const gone = cluster.replicas[2];
    const goneId = await gone
      .call('/api/system/cluster')
      .then(
        async (response) => ((await response.json()) as { node: { nodeId: string } }).node.nodeId,
      );
    await gone.stop();
    await page.waitForSelector(`.warnings .warning:has-text("${goneId} is missing")`, {
      timeout: 30_000,
    });
    await expect(page.locator('article.replica').count()).resolves.toBe(2);
    await page.click('#probe');
    await page.waitForSelector('.probe-summary:has-text("2 answered")');
    await screenshot(page, '11-cluster-missing-replica');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
