// Contacts, the January mailing, the year at a glance and external deliveries: the admin pages with axe, at 1366 and 390 px without
// sideways scrolling, and the demo's contacts.

export default async function ({ test, assert, axeCheck, login, browser, BASE }) {
  await test("kontakter: contact and mailing pages are accessible and fit 1366 and 390 px", async () => {
    for (const width of [1366, 390]) {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await login(context, "analytiker");
      await page.goto(`${BASE}/kontakter`);
      const rows = await page.locator("#kontakter tbody tr").count();
      assert(rows >= 43, `demo contacts for 15 municipalities × 2 and 13 LSL chairs: ${rows}`);
      const edit = await page.locator("#kontakter a[href^='/kontakter/']").first().getAttribute("href");
      for (const path of ["/kontakter", "/kontakter/import", edit, "/rapportering/2026/utskick", "/aret/2026", "/leveranser/2025", "/planering/kalender?ar=2026", "/arsrapport/2024/utskick"]) {
        const resp = await page.goto(`${BASE}${path}`);
        assert(resp.status() === 200, `${path} answered ${resp.status()}`);
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(sw <= width, `${path} at ${width} px scrolls sideways: scrollWidth ${sw}`);
        await axeCheck(page, `${path} at ${width} px`);
      }
      await context.close();
    }
  });

  await test("kontakter: the year page lists the cycle and the calendar copies to the next year", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    await page.goto(`${BASE}/aret/2026`);
    assert((await page.locator("#steg tbody tr").count()) > 5, "steps of the year");
    assert((await page.locator("#nasta").innerText()).length > 0, "next step shown");
    await page.goto(`${BASE}/planering/kalender?ar=2026`);
    const copy = page.getByRole("button", { name: /Kopiera till nästa år/ });
    if ((await copy.count()) === 1) {
      page.on("dialog", (d) => d.accept());
      await Promise.all([page.waitForNavigation(), copy.click()]);
      assert(page.url().includes("ar=2027"), `after copying: ${page.url()}`);
      assert((await page.getByText("att bekräfta", { exact: true }).count()) > 0, "copied dates to be confirmed");
      await axeCheck(page, "calendar 2027 after copying");
    }
    await context.close();
  });

  await test("kontakter: the mailing previews each part's letter and sends once", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    await page.goto(`${BASE}/rapportering/2026/utskick`);
    assert((await page.locator("section.letter-preview").count()) >= 2, "one preview per part");
    assert((await page.locator("#utan-kontakt").count()) === 0, "the demo has a contact for every part");
    page.on("dialog", (d) => d.accept());
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: /Skicka utskicket/ }).click()]);
    await page.waitForSelector("#resultat");
    const first = await page.locator("#resultat").innerText();
    assert(first.startsWith("Utskicket är klart:"), `result: ${first}`);
    await page.goto(`${BASE}/rapportering/2026/utskick`);
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: /Skicka utskicket/ }).click()]);
    await page.waitForSelector("#resultat");
    const second = await page.locator("#resultat").innerText();
    assert(second.includes("0 inbjudningar skickade"), `repeat sends nothing: ${second}`);
    await axeCheck(page, "mailing page with its log");
    await context.close();
  });
}
