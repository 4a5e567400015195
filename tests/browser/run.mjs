// Browser tests of GNV-uppföljning.
//
// Drives Debian's Chromium with playwright-core against a running server (BASE_URL), logs in as
// the demo users, visits every main page, checks it with axe-core (no serious or critical
// violations allowed), and walks through key user flows. Prints "N passed, N failed" at the end
// and exits non-zero on any failure.
//
// The tests live in suites/*.mjs, one file per module; each exports
// `export default async function (helpers)`. SUITE=name runs only matching suites.

import { chromium } from "playwright-core";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
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

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});

try {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "suites");
  const only = process.env.SUITE;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".mjs")).sort()) {
    if (only && !file.includes(only)) continue;
    const suite = await import(pathToFileURL(path.join(dir, file)).href);
    console.log(`# ${file}`);
    await suite.default({ test, assert, axeCheck, login, browser, BASE, PASSWORD });
  }
} finally {
  await browser.close();
}

console.log(`\nbrowser: ${passed} passed, ${failed} failed`);
if (failed) {
  console.log(`failed: ${failures.join("; ")}`);
  process.exit(1);
}
