// Browser tests of GNV-uppföljning.
//
// Drives Debian's Chromium with playwright-core against a running server (BASE_URL), logs in as
// the demo users, visits every main page, checks it with axe-core (no serious or critical
// violations allowed), and walks through key user flows. Prints "N passed, N failed" at the end
// and exits non-zero on any failure.

import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BASE = process.env.BASE_URL || "http://127.0.0.1:8090";
const PASSWORD = process.env.DEMO_PASSWORD || "Dalarna-demo-2026";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

let passed = 0;
let failed = 0;
const failures = [];

async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    failures.push(name);
    console.log(`not ok - ${name}\n  ${String(e && e.stack || e).split("\n").join("\n  ")}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function axeCheck(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const serious = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  const minor = result.filter((v) => !(v.impact === "serious" || v.impact === "critical"));
  if (minor.length) console.log(`  (${label}: ${minor.length} minor/moderate: ${minor.map((v) => v.id).join(", ")})`);
  assert(serious.length === 0, `${label}: axe serious/critical violations: ${JSON.stringify(serious, null, 1)}`);
}

async function login(context, username) {
  const page = await context.newPage();
  await page.goto(`${BASE}/logga-in`);
  await page.getByLabel("Användarnamn").fill(username);
  await page.getByLabel("Lösenord").fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: "Logga in" }).click()]);
  assert(!page.url().includes("/logga-in"), `log-in as ${username} failed (at ${page.url()})`);
  return page;
}

// Pages every admin visit covers; modules add theirs here.
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
];

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

try {
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
} finally {
  await browser.close();
}

console.log(`\nbrowser: ${passed} passed, ${failed} failed`);
if (failed) {
  console.log(`failed: ${failures.join("; ")}`);
  process.exit(1);
}
