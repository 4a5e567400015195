// Rapporteringsomgång: a whole round in the browser, and accessibility of the module's pages.

const PAGES = [
  "/rapportering",
  "/rapportering/2025",
  "/rapportering/2024/sjalvskattning",
  "/rapportering/2024/sjalvskattning/lsl-mora",
  "/rapportering/2024/kartlaggning",
  "/rapportering/historik",
  "/rapportering/2025/svara/kartlaggning/lsl-mora",
];

export default async function ({ test, assert, axeCheck, login, browser, BASE }) {
  await test("rapportering: admin pages are accessible and show the demo round", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    for (const path of PAGES) {
      const resp = await page.goto(`${BASE}${path}`);
      assert(resp && resp.status() === 200, `${path} answered ${resp && resp.status()}`);
      await axeCheck(page, path);
    }
    await page.goto(`${BASE}/rapportering/2024/sjalvskattning`);
    const lead = await page.locator("p.lead").innerText();
    assert(lead.includes("13 av 13"), `2024 answered: ${lead}`);
    assert((await page.locator("figure.chart svg").count()) === 1, "figure 2 chart");
    assert((await page.locator("#medelvarden tbody tr").count()) === 5, "table beside the chart");
    await page.goto(`${BASE}/rapportering/2024/kartlaggning`);
    assert((await page.locator("#sammanfattning").innerText()).includes("9 av 13 träffas 2 gånger per termin"), "mapping summary");
    await context.close();
  });

  await test("rapportering: whole round – open, invite, draft, return with the link, submit", async () => {
    const admin = await browser.newContext({ bypassCSP: true });
    const a = await login(admin, "analytiker");
    await a.goto(`${BASE}/rapportering`);
    // The demo already has the open 2026 round; the analyst opens the next one.
    await a.getByLabel("År som rapporteringen avser").fill("2027");
    await a.getByLabel("Sista svarsdag").fill("2028-02-11");
    await Promise.all([a.waitForNavigation(), a.getByRole("button", { name: "Öppna omgången" }).click()]);
    assert(a.url().endsWith("/rapportering/2027?ok=omgang"), `after opening: ${a.url()}`);
    assert((await a.locator("#del-sjalvskattning").innerText()).includes("0 av 13 har svarat"), "0 av 13 before");
    await a.getByLabel("Del och organisation").selectOption("sjalvskattning:lsl-gagnef");
    await a.getByLabel("Mottagarens namn").fill("Eva Berg");
    await a.getByLabel("Mottagarens e-post").fill("eva.berg@example.se");
    await Promise.all([a.waitForNavigation(), a.getByRole("button", { name: "Skicka inbjudan" }).click()]);
    const href = await a.locator("a.invite-link").getAttribute("href");
    assert(href && href.includes("/svar/"), `invitation link: ${href}`);
    // The link is absolute with the configured base_url; the test server may listen elsewhere.
    const link = `${BASE}${new URL(href).pathname}`;
    await axeCheck(a, "status page with new link");

    // The respondent opens the link (no account), saves a draft and leaves.
    const r1 = await browser.newContext({ bypassCSP: true });
    const p1 = await r1.newPage();
    await p1.goto(link);
    assert((await p1.locator("h1").innerText()).includes("Gagnef"), "form for Gagnef");
    await axeCheck(p1, "answer form via link");
    await p1.getByLabel("Ditt namn").fill("Eva Berg");
    await p1.check("#delmal1_3");
    await Promise.all([p1.waitForNavigation(), p1.getByRole("button", { name: "Spara utkast" }).click()]);
    assert((await p1.locator(".flash").innerText()).includes("Utkastet är sparat"), "draft saved");
    await r1.close();

    // Status shows the draft.
    await a.goto(`${BASE}/rapportering/2027`);
    const row = await a.locator("#del-sjalvskattning ~ .table-scroll table tr", { hasText: "Gagnef" }).first().innerText();
    assert(row.includes("utkast"), `Gagnef row: ${row}`);

    // The respondent returns with the link in a new browser; the draft is there; a missing answer is refused.
    const r2 = await browser.newContext({ bypassCSP: true });
    const p2 = await r2.newPage();
    await p2.goto(link);
    assert((await p2.getByLabel("Ditt namn").inputValue()) === "Eva Berg", "draft restored");
    assert(await p2.isChecked("#delmal1_3"), "rating restored");
    await Promise.all([p2.waitForNavigation(), p2.getByRole("button", { name: "Skicka in" }).click()]);
    const err = await p2.locator("#felsammanfattning").innerText();
    assert(err.includes("måste besvaras"), `missing answers: ${err}`);
    await axeCheck(p2, "answer form with errors");
    await p2.getByLabel("Din roll i den lokala systemledningen").fill("ordförande");
    await p2.check("#perspektiv_bada");
    for (const [n, v] of [[2, 3], [3, 2], [4, 4], [5, 3]]) await p2.check(`#delmal${n}_${v}`);
    await p2.check("#tillampat_ja");
    await Promise.all([p2.waitForNavigation(), p2.getByRole("button", { name: "Skicka in" }).click()]);
    assert((await p2.locator(".flash").innerText()).includes("Svaret är inskickat"), "submitted");
    assert((await p2.locator("#svarsstatus").innerText()) === "inskickad", "locked");
    assert((await p2.getByRole("button", { name: "Skicka in" }).count()) === 0, "no submit button on a locked answer");
    await r2.close();

    // Status and summary changed.
    await a.goto(`${BASE}/rapportering/2027`);
    assert((await a.locator("#del-sjalvskattning").innerText()).includes("1 av 13 har svarat"), "1 av 13 after");
    await a.goto(`${BASE}/rapportering/2027/sjalvskattning`);
    assert((await a.locator("#besvarat").innerText()).includes("1 av 13"), "summary counts the answer");
    assert((await a.locator("#tillampat").innerText()).includes("1 av 1"), "applied table");
    await admin.close();
  });

  await test("rapportering: in a closed round the respondent's form is read-only and not offered", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "mora");
    await page.goto(`${BASE}/rapportering`);
    const tasks = page.locator("table", { hasText: "Delar du kan besvara" });
    const rows = await tasks.locator("tbody tr").allInnerTexts();
    assert(rows.length > 0 && rows.every((r) => !r.startsWith("2024") && !r.startsWith("2025")), `only open rounds offered: ${rows.join(" | ")}`);
    assert((await tasks.locator("a[href^='/rapportering/2025/svara']").count()) === 0, "no Besvara for the closed 2025 round");
    assert((await tasks.locator("a[href^='/rapportering/2024/svara']").count()) === 0, "no Besvara for the closed 2024 round");
    // What Mora submitted in the closed 2024 round is listed apart, to read.
    const done = await page.locator("table", { hasText: "Delar som dina organisationer har skickat in" }).locator("tbody tr").allInnerTexts();
    assert(done.some((r) => r.startsWith("2024") && r.includes("Självskattning")), `submitted listed: ${done.join(" | ")}`);
    // The start page shows the same tasks first.
    await page.goto(`${BASE}/`);
    assert((await page.locator("h2").first().innerText()) === "Dina uppdrag", "tasks first on the start page");
    const startTasks = page.locator("table", { hasText: "Delar du kan besvara" });
    assert((await startTasks.locator("a[href*='/2025/']").count()) === 0, "no Besvara for the closed round on the start page");
    assert((await startTasks.locator("a[href*='/2026/']").count()) > 0, "the open round's tasks on the start page");
    const resp = await page.goto(`${BASE}/rapportering/2025/svara/kartlaggning/lsl-mora`);
    assert(resp.status() === 200, `closed form answered ${resp.status()}`);
    assert((await page.locator("#stangd").innerText()).includes("Rapporteringsomgången 2025 är stängd"), "closed notice");
    assert((await page.getByRole("button", { name: "Skicka in" }).count()) === 0, "no submit button");
    assert((await page.getByRole("button", { name: "Spara utkast" }).count()) === 0, "no draft button");
    assert(await page.locator("fieldset.survey-group input").first().isDisabled(), "fields disabled");
    await axeCheck(page, "closed round form");
    await page.goto(`${BASE}/kommunenkat/2025/kommun/2062`);
    assert((await page.locator("#stangd").count()) === 1, "kommunenkät 2025 closed too");
    await context.close();
  });

  await test("rapportering: the respondent flow fits a phone (390 px) and a desktop (1366 px) without sideways scrolling", async () => {
    // A secret link for the answer page reached without an account.
    const inviter = await browser.newContext({ bypassCSP: true });
    const adm = await login(inviter, "analytiker");
    await adm.goto(`${BASE}/rapportering/2026`);
    await adm.locator("#mottagare").selectOption("sjalvskattning:lsl-orsa");
    await adm.getByLabel("Mottagarens namn").fill("Olle Orsa");
    await adm.getByLabel("Mottagarens e-post").fill("olle@orsa.example.se");
    await Promise.all([adm.waitForNavigation(), adm.getByRole("button", { name: "Skicka inbjudan" }).click()]);
    const secret = new URL(await adm.locator("a.invite-link").getAttribute("href")).pathname;
    assert(secret.startsWith("/svar/"), `invitation link: ${secret}`);
    // Personal links to the kommunenkät and the financial report (Orsa), answered without an account.
    const moduleLinks = {};
    for (const [part, who] of [["kommunenkat", "Siv Socialchef"], ["ekonomi", "Erik Ekonomichef"]]) {
      await adm.goto(`${BASE}/rapportering/2026`);
      await adm.locator("#mottagare").selectOption(`${part}:2034`);
      await adm.getByLabel("Mottagarens namn").fill(who);
      await adm.getByLabel("Mottagarens e-post").fill(`${part}@orsa.example.se`);
      await Promise.all([adm.waitForNavigation(), adm.getByRole("button", { name: "Skicka inbjudan" }).click()]);
      moduleLinks[part] = new URL(await adm.locator("a.invite-link").getAttribute("href")).pathname;
      assert(moduleLinks[part].startsWith("/svar/"), `${part} invitation link: ${moduleLinks[part]}`);
    }
    await inviter.close();
    // Every page of answering the kommunenkät and the financial report by link: the form, the
    // form with errors, the saved draft (at 390 px) and the submitted, locked answer (at 1366 px).
    const fits = async (page, what, width) => {
      const sw = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(sw <= width, `${what} at ${width} px scrolls sideways: scrollWidth ${sw}`);
      await axeCheck(page, `${what} at ${width} px`);
    };
    for (const width of [390, 1366]) {
      const anon = await browser.newContext({ bypassCSP: true, viewport: { width, height: 844 } });
      const p = await anon.newPage();
      const last = width === 1366;
      // Kommunenkät: "Annat" without a description is refused, then a draft, then submitted.
      let resp = await p.goto(`${BASE}${moduleLinks.kommunenkat}`);
      assert(resp.status() === 200, `kommunenkät link answered ${resp.status()}`);
      assert((await p.locator("h1").innerText()) === "Kommunenkät 2026 – Orsa", "Orsa's survey form");
      assert((await p.locator("nav.breadcrumb").count()) === 0, "no breadcrumbs into logged-in pages");
      await fits(p, "kommunenkät by link", width);
      await p.getByLabel("Annat, nämligen …", { exact: true }).check();
      await p.getByLabel("Beskriv annat område eller arbetssätt").fill(""); // the 390 px draft has one
      await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: "Skicka in" }).click()]);
      assert((await p.locator(".error-box").innerText()).includes("Beskriv vilket område"), "the module's validation");
      await fits(p, "kommunenkät by link with errors", width);
      await p.getByLabel("Beskriv annat område eller arbetssätt").fill("Gemensam hälsocentral i Orsa");
      await p.getByLabel("Mobila team", { exact: true }).check();
      const action = last ? "Skicka in" : "Spara utkast";
      await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: action }).click()]);
      assert((await p.locator(".flash").innerText()).includes(last ? "Svaret är inskickat" : "Utkastet är sparat"), `after ${action}`);
      await fits(p, `kommunenkät by link after ${action}`, width);
      // Ekonomisk redovisning: a negative amount is refused, then a draft, then submitted.
      resp = await p.goto(`${BASE}${moduleLinks.ekonomi}`);
      assert(resp.status() === 200, `ekonomi link answered ${resp.status()}`);
      assert((await p.locator("h1").innerText()) === "Ekonomisk redovisning 2026 – Orsa", "Orsa's financial form");
      await fits(p, "ekonomi by link", width);
      await p.getByLabel("Tilldelat belopp (kr)").first().fill("-1 000");
      await p.getByLabel("Återbetalt överskott från RSS (kr)").first().fill("0");
      await p.getByLabel("Redovisade förbrukade medel (kr)").first().fill("1 000");
      await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: "Skicka in" }).click()]);
      assert((await p.locator(".error-box").innerText()).includes("negativt"), "the module's amount parser");
      await fits(p, "ekonomi by link with errors", width);
      await p.getByLabel("Tilldelat belopp (kr)").first().fill("412 000");
      await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: action }).click()]);
      assert((await p.locator(".flash").innerText()).includes(last ? "Svaret är inskickat" : "Utkastet är sparat"), `ekonomi after ${action}`);
      await fits(p, `ekonomi by link after ${action}`, width);
      if (last) assert((await p.getByRole("button", { name: "Skicka in" }).count()) === 0, "submitted is locked");
      await anon.close();
    }
    for (const width of [390, 1366]) {
      // The secret-link answer page, without logging in.
      const anon = await browser.newContext({ bypassCSP: true, viewport: { width, height: 844 } });
      const linkPage = await anon.newPage();
      const linkResp = await linkPage.goto(`${BASE}${secret}`);
      assert(linkResp.status() === 200, `${secret} answered ${linkResp.status()}`);
      const linkWidth = await linkPage.evaluate(() => document.documentElement.scrollWidth);
      assert(linkWidth <= width, `the secret-link page at ${width} px scrolls sideways: scrollWidth ${linkWidth}`);
      await axeCheck(linkPage, `secret-link answer page at ${width} px`);
      await anon.close();
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 844 } });
      const page = await login(context, "mora");
      for (const path of [
        "/",
        "/rapportering",
        "/rapportering/2026/svara/sjalvskattning/lsl-mora",
        "/rapportering/2026/svara/kartlaggning/lsl-mora",
        "/kommunenkat/2026/kommun/2062",
        "/ekonomi/2026/kommun/2062",
        "/rapportering/2025/svara/kartlaggning/lsl-mora",
      ]) {
        const resp = await page.goto(`${BASE}${path}`);
        assert(resp.status() === 200, `${path} answered ${resp.status()}`);
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(sw <= width, `${path} at ${width} px scrolls sideways: scrollWidth ${sw}`);
      }
      await context.close();
    }
    // The admin's status pages too: wide tables scroll inside their own region.
    const admin = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const a = await login(admin, "analytiker");
    for (const path of ["/rapportering/2025", "/rapportering/2026"]) {
      await a.goto(`${BASE}${path}`);
      const sw = await a.evaluate(() => document.documentElement.scrollWidth);
      assert(sw <= 390, `${path} at 390 px scrolls sideways: scrollWidth ${sw}`);
      await axeCheck(a, `${path} at 390 px`);
    }
    await admin.close();
  });

  await test("rapportering: a respondent sees own tasks and cannot open another LSL's form", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "mora");
    await page.goto(`${BASE}/rapportering`);
    assert((await page.locator("text=Dina uppdrag").count()) === 1, "own tasks listed");
    await axeCheck(page, "/rapportering as respondent");
    const resp = await page.goto(`${BASE}/rapportering/2025/svara/sjalvskattning/lsl-falun`);
    assert(resp.status() === 403, `other LSL answered ${resp.status()}`);
    await context.close();
  });
}
