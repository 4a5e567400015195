// Nyckeltal och infografik: chooser, infographic tiles and table, indicator page, admin import errors,
// the KPI search on the admin page.

import { readFileSync } from "node:fs";

export default async function ({ test, assert, axeCheck, login, browser, BASE }) {
  await test("nyckeltal: landing chooser leads to the chosen edition and focus", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "lasare");
    await page.goto(`${BASE}/nyckeltal`);
    await axeCheck(page, "/nyckeltal");
    assert(await page.getByText("Demodata.", { exact: false }).first().isVisible(), "demo data is labelled");
    await page.getByLabel("Utgåva").selectOption("2024");
    await page.getByLabel("Fokus (län eller kommun)").selectOption("2084");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Visa" }).click()]);
    assert(page.url().endsWith("/nyckeltal/2024?fokus=2084"), `url ${page.url()}`);
    assert((await page.locator("h1").innerText()).includes("Infografik 2024 – Avesta"), "heading names edition and focus");
    await context.close();
  });

  await test("nyckeltal: infographic has 20 tiles readable without colour, a summary and a table; axe clean", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "lasare");
    await page.goto(`${BASE}/nyckeltal/2025?fokus=0020`);
    await axeCheck(page, "/nyckeltal/2025");
    // The detailed tiles are folded below the one-page infographic; open them.
    await page.locator("details.rutor > summary").click();
    await axeCheck(page, "/nyckeltal/2025 (rutor öppna)");
    assert((await page.locator("li.tile").count()) === 20, "20 tiles");
    assert((await page.locator("section.delmal").count()) === 5, "grouped by five sub-goals");
    assert((await page.locator("li.tile-utveckling").count()) === 3, "three under development");
    const summary = await page.locator("ul.summary").innerText();
    assert(summary.includes("6 av 20 har inte uppdaterats"), `summary: ${summary}`);
    assert(summary.includes("(2.1, 5.1, 5.2)"), "better set in summary");
    // Every comparison badge carries words, not only a colour.
    const badges = await page.locator(".jmf").allInnerTexts();
    assert(badges.length > 20, `badges: ${badges.length}`);
    for (const b of badges) {
      assert(/i jämförelse med andra|ingen jämförelse|faktanyckeltal/.test(b), `badge without words: "${b}"`);
    }
    // Every arrow is accompanied by words.
    const changes = await page.locator(".tile-change").allInnerTexts();
    for (const c of changes) {
      assert(/ökat|minskat|oförändrat|ingen tidigare mätning/.test(c), `change without words: "${c}"`);
    }
    // Grayscale rendering: the words are still there (nothing depends on colour).
    await page.emulateMedia({ colorScheme: "light", forcedColors: "active" });
    assert(await page.locator(".jmf-rod").first().innerText().then((t) => t.includes("sämre i jämförelse med andra")), "red badge says it");
    const rows = await page.locator("table.infografik-tabell tbody tr").count();
    assert(rows >= 20, `table rows ${rows}`);
    assert(await page.getByText("Källa: Kolada (RKA)").first().isVisible(), "attribution");
    await context.close();
  });

  await test("nyckeltal: indicator page has charts with tables and downloads; axe clean", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "lasare");
    await page.goto(`${BASE}/nyckeltal/2025?fokus=2062`);
    // The detailed tiles are folded below the one-page infographic.
    await page.locator("details.rutor > summary").click();
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: /^2\.1 / }).click()]);
    assert(page.url().includes("/nyckeltal/2025/2.1?fokus=2062"), page.url());
    await axeCheck(page, "/nyckeltal/2025/2.1");
    const imgs = page.locator("figure.chart img");
    assert((await imgs.count()) === 2, "two charts");
    for (let i = 0; i < 2; i++) {
      const w = await imgs.nth(i).evaluate((img) => img.complete && img.naturalWidth);
      assert(w > 0, `chart ${i} loaded`);
    }
    const focusRow = await page.locator("tr.fokusrad").innerText();
    assert(focusRow.includes("Mora (fokus)"), `focus row: ${focusRow}`);
    const names = await page.locator("#jamforelse ~ table tbody tr:not(.referensrad) th").allInnerTexts();
    const sorted = [...names].sort((a, b) => a.localeCompare(b, "sv"));
    assert(JSON.stringify(names) === JSON.stringify(sorted), `alphabetical, not ranked: ${names}`);
    const csv = await page.request.get(`${BASE}/nyckeltal/2025/2.1/data.csv?fokus=2062`);
    assert(csv.status() === 200 && (await csv.text()).includes(";"), "CSV download");
    await context.close();
  });

  await test("nyckeltal: admin import of a malformed file shows a clear message and imports nothing", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    await page.goto(`${BASE}/nyckeltal/admin`);
    await axeCheck(page, "/nyckeltal/admin");
    const before = await page.locator("text=/Databasen har [\\d  ]+ värden/").innerText();
    await page.getByLabel("Filer").setInputFiles({ name: "egna.csv", mimeType: "text/csv", buffer: Buffer.from("nyckeltal;organisation;år;kön;värde\n2.1;0020;2025;T;12,5\n2.1;0020;2024;T;abc\n") });
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Importera" }).click()]);
    const err = await page.locator(".error-box").innerText();
    assert(err.includes("egna.csv") && err.includes("rad 3") && err.includes("Inget har importerats."), `error: ${err}`);
    await axeCheck(page, "/nyckeltal/admin (fel)");
    const after = await page.locator("text=/Databasen har [\\d  ]+ värden/").innerText();
    assert(before === after, `${before} vs ${after}`);
    await page.goto(`${BASE}/nyckeltal/admin/katalog/2.1`);
    await axeCheck(page, "/nyckeltal/admin/katalog/2.1");
    await page.goto(`${BASE}/nyckeltal/jamfor`);
    await axeCheck(page, "/nyckeltal/jamfor");
    await context.close();
  });

  // The one-page infographic (issue #14): on top of the page, in both widths without sideways
  // scrolling; the phone gets the stacked variant.
  for (const [width, height, stacked] of [[1366, 900, false], [390, 844, true]]) {
    await test(`nyckeltal: one-page infographic at ${width} px, no sideways scroll; axe clean`, async () => {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height } });
      const page = await login(context, "lasare");
      await page.goto(`${BASE}/nyckeltal/2025?fokus=0020`);
      await axeCheck(page, `/nyckeltal/2025 (${width} px)`);
      const img = page.locator("figure.infografik-bild img");
      await img.waitFor();
      const info = await img.evaluate((el) => new Promise((resolve) => {
        const done = () => resolve({ w: el.naturalWidth, src: el.currentSrc, box: el.getBoundingClientRect().width });
        if (el.complete) done(); else el.addEventListener("load", done);
      }));
      assert(info.w > 0, "the infographic loaded");
      assert(info.src.includes(stacked ? "infografik-stapel.svg" : "/infografik.svg"), `variant: ${info.src}`);
      assert(info.box <= width, `image ${info.box} px wide in ${width}`);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(scroll <= 0, `sideways scroll of ${scroll} px`);
      const figureTop = await page.locator("figure.infografik-bild").evaluate((e) => e.getBoundingClientRect().top);
      const summaryTop = await page.locator("#sammanfattning").evaluate((e) => e.getBoundingClientRect().top);
      assert(figureTop < summaryTop, "infographic above the summary");
      for (const file of ["infografik.pdf", "infografik.png", "infografik.svg"]) {
        const r = await page.request.get(`${BASE}/nyckeltal/2025/infografik/${file}?fokus=0020`);
        assert(r.status() === 200, `${file}: ${r.status()}`);
      }
      await context.close();
    });
  }

  await test("nyckeltal: public view without log-in, 404 for an unpublished year, no links into the application; axe clean", async () => {
    for (const [width, height] of [[1366, 900], [390, 844]]) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      const index = await page.goto(`${BASE}/offentlig/infografik`);
      assert(index.status() === 200, `index: ${index.status()} (is GNV_PUBLIC_INFOGRAPHIC set?)`);
      await axeCheck(page, `/offentlig/infografik (${width} px)`);
      await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: "Älvdalen" }).first().click()]);
      assert(page.url().includes("/offentlig/infografik/2025?fokus=2039"), page.url());
      await axeCheck(page, `/offentlig/infografik/2025 (${width} px)`);
      assert((await page.locator("h1").innerText()).includes("Älvdalen"), "heading names the municipality");
      const img = page.locator("figure.infografik-bild img");
      const w = await img.evaluate((el) => new Promise((resolve) => {
        if (el.complete) resolve(el.naturalWidth); else el.addEventListener("load", () => resolve(el.naturalWidth));
      }));
      assert(w > 0, "public infographic image loaded");
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(scroll <= 0, `sideways scroll of ${scroll} px`);
      const hrefs = await page.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      for (const h of hrefs) {
        assert(h.startsWith("/offentlig/") || h.startsWith("#"), `link out of the public view: ${h}`);
      }
      assert(!(await page.content()).includes("logga-in"), "no log-in links");
      // A single indicator's public page: charts and tables, still nothing of the application.
      await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: /^Kontinuitet hos läkare/ }).first().click()]);
      assert(page.url().includes("/offentlig/infografik/2025/nyckeltal/2.1?fokus=2039"), page.url());
      await axeCheck(page, `/offentlig/infografik/2025/nyckeltal/2.1 (${width} px)`);
      const charts = page.locator("figure.chart img");
      assert((await charts.count()) === 2, "two charts");
      for (let i = 0; i < 2; i++) {
        const cw = await charts.nth(i).evaluate((el) => new Promise((resolve) => {
          if (el.complete) resolve(el.naturalWidth); else el.addEventListener("load", () => resolve(el.naturalWidth));
        }));
        assert(cw > 0, `public chart ${i} loaded`);
      }
      const links = await page.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      for (const h of links) {
        assert(h.startsWith("/offentlig/") || h.startsWith("#"), `link out of the public view: ${h}`);
      }
      const scroll2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(scroll2 <= 0, `indicator page sideways scroll of ${scroll2} px`);
      const unpublished = await page.goto(`${BASE}/offentlig/infografik/2026?fokus=0020`);
      assert(unpublished.status() === 404, `unpublished year: ${unpublished.status()}`);
      await context.close();
    }
  });

  // Embedding: scripts/browser-test allows http://localhost:18999 (GNV_PUBLIC_FRAME_ANCESTORS).
  // Two tiny host pages are served from here (Playwright's request routing cannot stand in:
  // Chromium refuses framing from a routed document).
  await test("nyckeltal: the public view can be embedded only by the configured origin", async () => {
    const http = await import("node:http");
    const publicUrl = `${BASE}/offentlig/infografik/2025?fokus=2062`;
    const body = `<!doctype html><html lang="sv"><title>Värd</title><iframe title="Infografik" src="${publicUrl}" width="1200" height="800"></iframe></html>`;
    const serve = (port) => new Promise((resolve) => {
      const server = http.createServer((req, res) => { res.writeHead(200, { "content-type": "text/html; charset=utf-8" }); res.end(body); });
      server.listen(port, "127.0.0.1", () => resolve(server));
    });
    const servers = [await serve(18999), await serve(18998)];
    try {
      const context = await browser.newContext();
      const heading = async (url) => {
        const page = await context.newPage();
        await page.goto(url);
        const frame = page.frames().find((f) => f !== page.mainFrame());
        let text = "";
        try { text = await frame.locator("h1").first().innerText({ timeout: 3000 }); } catch (e) { text = ""; }
        await page.close();
        return text;
      };
      const allowed = await heading("http://localhost:18999/inbaddning.html");
      assert(allowed.includes("Infografik 2025 – Mora"), `allowed origin shows the infographic: "${allowed}"`);
      const refused = await heading("http://localhost:18998/inbaddning.html");
      assert(!refused.includes("Infografik"), `other origins are refused: "${refused}"`);
      await context.close();
    } finally {
      for (const s of servers) s.close();
    }
  });

  // Finding Kolada ids on the admin page (issue #19), offline in a saved /v3/kpi response (the
  // demo has no network): the search swaps only its hits (htmx), a hit that Kolada publishes
  // for regions warns on a municipal indicator, attaching shows it in the list; both widths.
  const kpiList = readFileSync(new URL("../../../crates/core/tests/data/kolada-kpi.json", import.meta.url));
  for (const [width, height] of [[1366, 900], [390, 844]]) {
    await test(`nyckeltal: KPI search on the admin page at ${width} px, hits swapped in place, attach with warning; axe clean`, async () => {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height } });
      const page = await login(context, "analytiker");
      await page.goto(`${BASE}/nyckeltal/admin#kolada`);
      await page.getByLabel("Sparat svar från /v3/kpi (JSON)").setInputFiles({ name: "kolada-kpi.json", mimeType: "application/json", buffer: kpiList });
      await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Spara KPI-listan" }).click()]);
      assert(page.url().includes("/nyckeltal/admin/kolada"), page.url());
      await axeCheck(page, `/nyckeltal/admin#kolada (${width} px)`);
      await page.getByLabel("Sökord i titel eller id").fill("väntetid");
      await page.getByLabel("Nyckeltal i katalogen").selectOption("1.4");
      await page.getByRole("radio", { name: /Sparad KPI-lista: kolada-kpi\.json/ }).check();
      await page.evaluate(() => { window.kvarPaSidan = true; });
      await page.getByRole("button", { name: "Sök", exact: true }).click();
      await page.locator("#kpi-traffar h3").waitFor();
      assert(await page.evaluate(() => window.kvarPaSidan === true), "the hits were swapped in, the page was not reloaded");
      assert(page.url().includes("sok=v%C3%A4ntetid") || page.url().includes("sok=väntetid"), `pushed url ${page.url()}`);
      const hits = await page.locator("#kpi-traffar").innerText();
      assert(hits.includes("N00945") && hits.includes("1 träff"), `hits: ${hits}`);
      assert(hits.includes("Kolada publicerar N00945 för regioner, men nyckeltal 1.4 gäller kommunnivå."), `warning: ${hits}`);
      await axeCheck(page, `/nyckeltal/admin/kolada (träffar, ${width} px)`);
      // The whole admin page fits the width: wide tables scroll inside their own region.
      const overflow = () => page.evaluate(() => {
        const els = [...document.querySelectorAll("#kolada ~ form, #kpi-traffar, #kpi-traffar *, #kpi-lista ~ form, .table-scroll")];
        const wide = els.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.tagName + "." + e.className);
        if (document.documentElement.scrollWidth > window.innerWidth) wide.push(`page scrollWidth ${document.documentElement.scrollWidth}`);
        return wide;
      });
      let wide = await overflow();
      assert(wide.length === 0, `wider than ${width} px: ${wide.join(", ")}`);
      if (process.env.SCREENSHOTS) await page.locator("#kpi-traffar").screenshot({ path: `${process.env.SCREENSHOTS}/kpi-sok-${width}.png` });
      await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Koppla N00945 till nyckeltal 1.4" }).click()]);
      const done = await page.locator("#kpi-traffar .flash").innerText();
      assert(done.includes("Kolada-id N00945") && done.includes("är kopplat till nyckeltal 1.4."), `flash: ${done}`);
      const row = await page.locator("table", { has: page.locator("caption", { hasText: "Kopplade Kolada-id" }) }).innerText();
      assert(row.includes("1.4") && row.includes("Kolada publicerar N00945 för regioner"), `attached: ${row}`);
      await axeCheck(page, `/nyckeltal/admin/kolada (kopplad, ${width} px)`);
      wide = await overflow();
      assert(wide.length === 0, `wider than ${width} px after attaching: ${wide.join(", ")}`);
      if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/kpi-kopplad-${width}.png`, fullPage: true });
      await context.close();
    });
  }
}
