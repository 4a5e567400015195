// Kommunenkät and ekonomisk redovisning: pages are accessible; a municipality (demo user
// `sodra`, respondent for Hedemora and Avesta) fills in both parts of the survey and its
// financial report; the compilation and figure 3 update; a malformed import is refused with
// located errors.

const PAGES = [
  "/kommunenkat",
  "/kommunenkat/2024",
  "/kommunenkat/2024?visa_kommun=ja",
  "/ekonomi",
  "/ekonomi/2024",
  "/ekonomi/import",
  "/ekonomi/historik/2084",
];

export default async function ({ test, assert, axeCheck, login, browser, BASE }) {
  await test("ekonomi/kommunenkät pages answer and are accessible (admin)", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    for (const path of PAGES) {
      const resp = await page.goto(`${BASE}${path}`);
      assert(resp && resp.status() === 200, `${path} answered ${resp && resp.status()}`);
      assert((await page.locator("main h1").count()) === 1, `${path} has one h1`);
      await axeCheck(page, path);
    }
    await context.close();
  });

  await test("the real 2024 table shows its two warnings beside it, naming the five municipalities", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "lasare");
    await page.goto(`${BASE}/ekonomi/2024`);
    const total = await page.locator("table.appendix tfoot tr.total").innerText();
    assert(total.includes("23 849 655") && total.includes("499 999") && total.includes("24 153 231"), `totals: ${total}`);
    const warnings = await page.locator("section.warnings li").allInnerTexts();
    assert(warnings.length === 2, `warnings: ${warnings.length}`);
    assert(warnings[0].includes("500 000") && warnings[0].includes("499 999"), warnings[0]);
    assert(warnings[1].includes("Avesta, Borlänge, Mora, Säter och Älvdalen"), warnings[1]);
    await page.goto(`${BASE}/kommunenkat/2024`);
    assert((await page.locator("#antal-svar").innerText()).includes("15 av 15"), "15 av 15 answered");
    assert((await page.locator("figure.chart svg[role=img]").count()) === 1, "figure 3 drawn");
    await context.close();
  });

  await test("sodra fills in both parts for Hedemora and Avesta; the compilation and figure 3 update", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "sodra");
    await page.goto(`${BASE}/kommunenkat`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Fyll i enkäten för Hedemora" }).click()]);
    // The link leads to the newest open round (the demo's 2026 round, or one opened by an earlier suite).
    const m = page.url().match(/\/kommunenkat\/(\d{4})\/kommun\/2083$/);
    assert(m && Number(m[1]) >= 2026, page.url());
    const year = m[1];
    await axeCheck(page, "kommunenkät form");
    // Part 1: areas and ways of working, including "annat, nämligen".
    await page.getByLabel("Mobila team", { exact: true }).check();
    await page.getByLabel("Samordnad individuell plan (SIP)", { exact: true }).check();
    await page.getByLabel("Annat, nämligen …", { exact: true }).check();
    await page.getByLabel("Beskriv annat område eller arbetssätt").fill("Trygg hemgång från korttidsboende");
    // Part 2: free text under the headings.
    await page.locator("#fritext_viktigaste-insatser").fill("Gemensam styrgrupp med regionen för god och nära vård (webbläsartest).");
    await page.locator("#fritext_mobila-team").fill("Läkare från vårdcentralen gör hembesök tillsammans med kommunens sjuksköterskor.");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Spara utkast" }).click()]);
    assert((await page.locator(".flash").innerText()).includes("Utkastet är sparat"), "draft saved");
    assert((await page.locator("#status").innerText()) === "utkast", "status draft");
    assert(await page.getByLabel("Mobila team", { exact: true }).isChecked(), "draft kept the ticks");
    await page.goto(`${BASE}/kommunenkat/${year}`);
    assert((await page.locator("#antal-svar").innerText()).includes("0 av 15"), "draft is not compiled");

    await page.goto(`${BASE}/kommunenkat/${year}/kommun/2083`);
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Skicka in" }).click()]);
    assert(page.url().includes(`/kommunenkat/${year}?ok=skickat`), page.url());
    assert((await page.locator("#antal-svar").innerText()).includes("1 av 15"), "1 av 15");
    const mobila = await page.locator("table.figure-table tr", { hasText: "Mobila team" }).innerText();
    assert(mobila.includes("1") && mobila.includes("Hedemora"), `figure 3 row: ${mobila}`);
    assert((await page.locator("figure.chart svg desc").textContent()).includes("Mobila team: 1"), "chart has the count");
    const texts = await page.locator("section.free-text li").allInnerTexts();
    assert(texts.some((t) => t.startsWith("Gemensam styrgrupp")) && !texts.some((t) => t.includes("(Hedemora)")), "municipality hidden by default");
    await axeCheck(page, `compilation ${year}`);

    // Avesta answers too: figure 3 counts two.
    await page.goto(`${BASE}/kommunenkat/${year}/kommun/2084`);
    await page.getByLabel("Mobila team", { exact: true }).check();
    await page.getByLabel("Fast vårdkontakt", { exact: true }).check();
    await page.locator("#fritext_fast-vardkontakt").fill("Fast vårdkontakt är införd i hemsjukvården.");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Skicka in" }).click()]);
    assert((await page.locator("#antal-svar").innerText()).includes("2 av 15"), "2 av 15");
    const first = await page.locator("table.figure-table tbody tr").first().innerText();
    assert(first.includes("Mobila team") && first.includes("2"), `most common area first: ${first}`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Visa kommunnamnen" }).click()]);
    const shown = await page.locator("section.free-text li").allInnerTexts();
    assert(shown.some((t) => t.endsWith("(Hedemora)")), "toggle shows municipality");

    // Another LSL's municipality is refused.
    const refused = await page.goto(`${BASE}/kommunenkat/${year}/kommun/2062`);
    assert(refused.status() === 403, `Mora form for sodra: ${refused.status()}`);

    // The financial report for Hedemora in the same open round.
    await page.goto(`${BASE}/ekonomi/${year}/kommun/2083`);
    await axeCheck(page, "ekonomi form");
    await page.getByLabel("Tilldelat belopp (kr)").fill("1 274 612");
    await page.getByLabel("Återbetalt överskott från RSS (kr)").fill("26 695");
    await page.getByLabel("Redovisade förbrukade medel (kr)").fill("-5");
    await page.getByRole("button", { name: "Skicka in" }).click();
    await page.waitForSelector(".error-box");
    assert((await page.locator(".error-box").innerText()).includes("negativt"), "negative refused");
    await page.getByLabel("Redovisade förbrukade medel (kr)").fill("1 301 307 kr");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Skicka in" }).click()]);
    assert(page.url().includes(`/ekonomi/${year}?ok=skickat`), page.url());
    const row = await page.locator("table.appendix tbody tr", { hasText: "Hedemora" }).innerText();
    assert(row.includes("1 274 612") && row.includes("1 301 307"), row);
    const warn = await page.locator("section.warnings").innerText();
    assert(warn.includes("saknas från 14 kommuner"), warn);
    await axeCheck(page, `ekonomi ${year}`);
    await context.close();
  });

  await test("a malformed import is refused with file, row and column", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    await page.goto(`${BASE}/ekonomi/import`);
    await page.getByLabel("År").fill("2023");
    const csv = "kommunkod;kommun;år;tilldelat;återbetalt överskott;redovisat förbrukat\n2084;Avesta;2023;en miljon;0;0\n;Falun;2023;1;0;1\n";
    await page.setInputFiles("#fil", { name: "fel.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Importera" }).click()]);
    const errors = await page.locator("#importfel li").allInnerTexts();
    assert(errors.some((e) => e.startsWith("fil fel.csv, rad 2, fält tilldelat")), errors.join(" | "));
    assert(errors.some((e) => e.startsWith("fil fel.csv, rad 3, fält kommunkod")), errors.join(" | "));
    await axeCheck(page, "import errors");
    const resp = await page.goto(`${BASE}/ekonomi/2023`);
    assert(resp.status() === 200 && (await page.locator("table.appendix").count()) === 0, "nothing imported");
    await context.close();
  });
}
