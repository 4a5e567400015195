// Årsrapport, section 3.6: the demo's 2026 draft follows up the action plan 2026–2030 on three
// levels (tables with header cells, the analyst's comment between two levels); the 2024 report
// has no such section. Accessible at 1366 and 390 px.

export default async function ({ test, assert, axeCheck, login, browser, BASE }) {
  await test("the 2026 draft follows up the action plan on three levels; 2024 has no such section", async () => {
    for (const width of [1366, 390]) {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      const page = await login(context, "lasare");
      const resp = await page.goto(`${BASE}/arsrapport/2026`);
      assert(resp && resp.status() === 200, "preview answers 200");
      for (const h of [
        "3.6 Uppföljning av den regionala handlingsplanen",
        "3.6.1 Strategisk nivå – ”Har vi uppnått målet?”",
        "3.6.2 Taktisk nivå – ”Är vi på väg åt rätt håll?”",
        "3.6.3 Operativ nivå – ”Gör vi det vi har sagt att vi ska göra?”",
      ]) {
        assert((await page.getByRole("heading", { name: h, exact: true }).count()) === 1, `heading ${h}`);
      }
      const status = page.locator("table", { hasText: "Åtgärder på taktisk nivå och deras status" });
      assert((await status.locator("th[scope=col]").count()) === 6, "status table has six column headers");
      assert((await page.getByText("Under 2026 har status registrerats för 4 av 7 åtgärder på taktisk nivå.").count()) === 1, "status count");
      assert((await page.getByText("(DEMOTEXT)", { exact: false }).count()) >= 1, "the analyst's comment");
      const sw = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(sw <= width, `/arsrapport/2026 at ${width} px scrolls sideways: scrollWidth ${sw}`);
      await axeCheck(page, `/arsrapport/2026 at ${width} px`);
      await context.close();
    }
    const context = await browser.newContext({ bypassCSP: true });
    const page = await login(context, "lasare");
    await page.goto(`${BASE}/arsrapport/2024`);
    assert((await page.getByRole("heading", { name: /^3\.6 / }).count()) === 0, "no section 3.6 in 2024");
    assert((await page.getByText("Ingen av de 13 lokala systemledningarna har någon brukarrepresentant i systemledningen.").count()) === 1, "mapping version 2 sentence in 2024");
    await context.close();
  });
}
