// Log-in through the organisation's identity provider (OpenID Connect, issue #18), in the browser
// and through the provider's own pages: the real oidc-provider that scripts/browser-test starts
// (scripts/oidc-provider; OIDC_ISSUER) with a client registered for the demo server. An admin
// binds the demo reader `lasare` to the provider's test user Anna (subject anna-0001) on the
// admin page; Anna logs in, lands as Lars Läsare, logs out here and at the provider.

export default async function ({ test, assert, axeCheck, login, browser, BASE }) {
  const ISSUER = process.env.OIDC_ISSUER;

  async function throughProvider(page, user, password) {
    await page.goto(`${BASE}/logga-in`);
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(ISSUER)),
      page.getByRole("link", { name: "Logga in med Testidentitetstjänsten" }).click(),
    ]);
    await page.getByLabel("Användarnamn").fill(user);
    await page.getByLabel("Lösenord").fill(password);
    await page.getByRole("button", { name: "Logga in" }).click();
    await page.getByRole("button", { name: "Godkänn" }).click();
    await page.waitForURL((u) => u.href.startsWith(BASE));
  }

  await test("an admin binds a user; the user logs in through the provider's pages and out again", async () => {
    assert(ISSUER, "OIDC_ISSUER is set by scripts/browser-test");
    const admin = await browser.newContext({ bypassCSP: true });
    const page = await login(admin, "analytiker");
    await page.goto(`${BASE}/admin/anvandare`);
    await Promise.all([page.waitForNavigation(), page.getByRole("link", { name: /identitetstjänster/ }).click()]);
    await axeCheck(page, "/admin/identiteter");
    await page.getByLabel("Användare", { exact: true }).selectOption("lasare");
    await page.getByLabel("Identitetstjänst", { exact: true }).selectOption("test");
    await page.getByLabel("Anspråk", { exact: true }).selectOption("sub");
    await page.getByLabel(/^Värde/).fill("anna-0001");
    await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Koppla" }).click()]);
    await page.waitForSelector("text=Identiteten är kopplad.");
    assert((await page.locator("table").innerText()).includes("anna-0001"), "the binding is listed");
    await admin.close();

    const context = await browser.newContext({ bypassCSP: true });
    const p = await context.newPage();
    await throughProvider(p, "anna", "anna-testlosen");
    assert(p.url() === `${BASE}/`, `landed on the start page (at ${p.url()})`);
    assert((await p.locator("header").innerText()).includes("Lars Läsare"), "logged in as the bound user");
    await Promise.all([p.waitForNavigation(), p.getByRole("button", { name: "Logga ut" }).click()]);
    await p.waitForSelector("text=Du är utloggad");
    await axeCheck(p, "utloggad");
    await p.getByRole("link", { name: "Logga ut även från Testidentitetstjänsten" }).click();
    await Promise.all([
      p.waitForURL(`${BASE}/logga-in`),
      p.getByRole("button", { name: "Ja, logga ut" }).click(),
    ]);
    await p.goto(`${BASE}/`);
    assert(p.url().includes("/logga-in"), "the session has ended");
    await context.close();
  });

  await test("an identity no user is bound to gets the Swedish message", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const p = await context.newPage();
    await throughProvider(p, "okand", "okand-testlosen");
    await p.waitForSelector("text=Ditt konto finns inte i GNV-uppföljning – kontakta RSS");
    await axeCheck(p, "okänd identitet");
    await p.goto(`${BASE}/`);
    assert(p.url().includes("/logga-in"), "not logged in");
    await context.close();
  });
}
