// Årsrapport: year list, draft preview (figures as SVG with tables), narrative editor, downloads.

export default async function ({ test, assert, axeCheck, login, browser, BASE }) {
  const year = new Date().getFullYear() - 1;

  await test("report list and draft preview are accessible and structured", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    let resp = await page.goto(`${BASE}/arsrapport`);
    assert(resp && resp.status() === 200, "list answers 200");
    await axeCheck(page, "/arsrapport");
    resp = await page.goto(`${BASE}/arsrapport/${year}`);
    assert(resp && resp.status() === 200, "preview answers 200");
    assert((await page.locator("main h1").count()) === 1, "exactly one h1");
    for (const h of ["1 Bakgrund", "2 Metod", "3 Resultat", "4 Metodaspekter", "5 Avslutningsord"]) {
      assert((await page.getByRole("heading", { name: h, exact: true }).count()) === 1, `heading ${h}`);
    }
    // Every inline chart is followed by a table with the same data.
    const figures = await page.locator("figure.rapport-figur").count();
    const svgs = await page.locator("figure.rapport-figur svg[role=img]").count();
    assert(figures === svgs, `every figure has an accessible svg (${figures}/${svgs})`);
    await axeCheck(page, `/arsrapport/${year}`);
    await context.close();
  });

  await test("admin writes a narrative beside the generated text; it appears in the preview", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    await page.goto(`${BASE}/arsrapport/${year}/text`);
    await axeCheck(page, `/arsrapport/${year}/text`);
    const marker = `Webbtest ${Date.now()}: **samverkan** fungerar väl.`;
    await page.getByLabel("Analys för 4 Metodaspekter").fill(marker);
    await page.getByRole("button", { name: "Spara text för 4 Metodaspekter" }).click();
    await page.waitForSelector("text=Ändringarna är sparade.");
    await page.goto(`${BASE}/arsrapport/${year}`);
    const plain = marker.replace("**samverkan**", "samverkan");
    assert((await page.getByText(plain).count()) === 1, "narrative shown as plain text in the preview");
    await context.close();
  });

  await test("admin places a text with a subheading between generated parts (htmx); it is numbered in the preview", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "analytiker");
    await page.goto(`${BASE}/arsrapport/${year}/text`);
    const section = page.locator("#avsnitt-metod");
    await section.locator("summary", { hasText: "plats 2" }).click();
    await section.getByLabel("Ny text på plats 2 i 2 Metod").fill("### Webbtestets rubrik\n\nText före tillvägagångssättet.");
    await section.getByRole("button", { name: "Lägg till texten på plats 2" }).click();
    // htmx swaps only the section; its message is inside it.
    await page.locator("#avsnitt-metod").getByText("Ändringarna är sparade.").waitFor();
    assert((await page.getByLabel("Text 1 – 2 Metod").inputValue()).startsWith("### Webbtestets rubrik"), "text block in the list");
    await axeCheck(page, `/arsrapport/${year}/text after an htmx save`);
    await page.goto(`${BASE}/arsrapport/${year}`);
    assert((await page.getByRole("heading", { name: "2.1 Webbtestets rubrik", exact: true }).count()) === 1, "numbered subheading");
    assert((await page.getByRole("heading", { name: "2.2 Tillvägagångssätt", exact: true }).count()) === 1, "generated subsection renumbered");
    await context.close();
  });

  await test("downloads answer with the right types; readers cannot edit", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "lasare");
    for (const [ext, type] of [["pdf", "application/pdf"], ["html", "text/html"]]) {
      const resp = await page.request.get(`${BASE}/arsrapport/${year}.${ext}`);
      assert(resp.status() === 200, `${ext} answers 200`);
      assert(resp.headers()["content-type"].startsWith(type), `${ext} content type`);
    }
    const resp = await page.goto(`${BASE}/arsrapport/${year}/text`);
    assert(resp && resp.status() === 403, "reader gets 403 on the editor");
    await context.close();
  });
}
