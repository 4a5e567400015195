// Foundation: log-in, shell, organisation registry, administration.

// Pages every admin visit covers (module suites check their own pages in depth).
const ADMIN_PAGES = [
  "/",
  "/organisationer",
  "/organisationer/lsl-sodra-dalarna",
  "/organisationer/2084",
  "/organisationer/lchnv",
  "/nyckeltal",
  "/rapportering",
  "/planering",
  "/arsrapport",
  "/admin",
  "/admin/anvandare",
  "/admin/granskningslogg",
  "/admin/behorigheter",
  "/admin/lansprofil",
];

export default async function ({ test, assert, axeCheck, login, browser, BASE }) {
  await test("log-in page is Swedish and accessible", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${BASE}/`);
    assert(page.url().includes("/logga-in"), "anonymous visitor is sent to log-in");
    assert((await page.getAttribute("html", "lang")) === "sv", "lang=sv");
    await axeCheck(page, "/logga-in");
    await page.getByLabel("Användarnamn").fill("analytiker");
    await page.getByLabel("Lösenord").fill("fel-lösenord-123");
    await page.getByRole("button", { name: "Logga in" }).click();
    await page.waitForSelector("text=Fel användarnamn eller lösenord.");
    await context.close();
  });

  await test("admin visits every page; axe-core finds no serious or critical violations", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    for (const path of ADMIN_PAGES) {
      const resp = await page.goto(`${BASE}${path}`);
      assert(resp && resp.status() === 200, `${path} answered ${resp && resp.status()}`);
      assert((await page.getAttribute("html", "lang")) === "sv", `${path} lang=sv`);
      assert((await page.locator("main h1").count()) >= 1, `${path} has an h1 in main`);
      await axeCheck(page, path);
    }
    await context.close();
  });

  await test("keyboard: skip link is the first focusable element and moves focus to main", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "lasare");
    await page.goto(`${BASE}/organisationer`);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
    assert(focused && focused.includes("Hoppa till huvudinnehållet"), `first tab stop was "${focused}"`);
    await page.keyboard.press("Enter");
    const target = await page.evaluate(() => document.activeElement && document.activeElement.id);
    assert(target === "huvudinnehall", `focus after skip link: ${target}`);
    await context.close();
  });

  await test("organisation registry shows 15 municipalities and the two shared LSLs", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "lasare");
    await page.goto(`${BASE}/organisationer`);
    const rows = await page.locator("#kommuner ~ table >> nth=0 >> tbody tr").count();
    assert(rows === 15, `municipality rows: ${rows}`);
    const sodra = await page.locator("tr", { hasText: "Södra Dalarna" }).last().innerText();
    assert(sodra.includes("Avesta, Hedemora"), `Södra Dalarna row: ${sodra}`);
    const vb = await page.locator("tr", { hasText: "Västerbergslagen" }).last().innerText();
    assert(vb.includes("Ludvika, Smedjebacken"), `Västerbergslagen row: ${vb}`);
    await context.close();
  });

  await test("admin edits an organisation; the change is in the audit log", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    await page.goto(`${BASE}/organisationer/lchnv`);
    await page.getByLabel("Beskrivning").fill("Länets chefsnätverk; äger den regionala handlingsplanen (ändrad i webbläsartest).");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Spara", exact: true }).click()]);
    assert(await page.locator(".flash").isVisible(), "confirmation shown");
    await page.goto(`${BASE}/admin/granskningslogg`);
    assert((await page.locator("td", { hasText: "organisation lchnv" }).count()) >= 1, "audit row for lchnv");
    await context.close();
  });
}
