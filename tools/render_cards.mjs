#!/usr/bin/env node
// Parses, validates and renders Adaptive Cards with the official renderer (npm `adaptivecards`)
// in headless Chromium, as a host that supports card version 1.5 (what Teams renders).
// Usage: node render_cards.mjs cards.json OUT_DIR
//   cards.json: [{"name": "answer", "card": {...}}, ...]
// Writes OUT_DIR/<name>.png and prints a JSON report {name: {warnings, errors, clipped, rawMarkdown, links}}:
// `clipped` lists the titles of buttons whose text does not fit the button or runs past the card, and
// `rawMarkdown` the rendered texts that still show markdown (`[text](target)`, `**`), both measured on
// the rendered page. Exit 1 if any card has a warning, an error, a clipped title or raw markdown.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const rendererDir = path.dirname(require.resolve("adaptivecards/package.json"));
const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) { console.error("usage: node render_cards.mjs cards.json OUT_DIR"); process.exit(2); }
const cards = JSON.parse(fs.readFileSync(input, "utf8"));
fs.mkdirSync(outDir, { recursive: true });

// Close to Teams' light theme, so the PNGs look like what staff see.
const hostConfig = {
  fontFamily: "'Segoe UI', 'Liberation Sans', 'DejaVu Sans', sans-serif",
  supportsInteractivity: true,
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  containerStyles: {
    default: { backgroundColor: "#FFFFFF", foregroundColors: { default: { default: "#242424", subtle: "#616161" }, accent: { default: "#4F52B2", subtle: "#6264A7" } } },
    emphasis: { backgroundColor: "#F5F5F5", foregroundColors: { default: { default: "#242424", subtle: "#616161" }, accent: { default: "#4F52B2", subtle: "#6264A7" } } },
  },
  actions: { maxActions: 6, buttonSpacing: 8, actionsOrientation: "horizontal", showCard: { actionMode: "inline", inlineTopMargin: 12, style: "emphasis" } },
};

function renderInPage({ card, hostConfig, id }) {
  const AC = window.AdaptiveCards;
  const describe = (e) => `${AC.ValidationEvent[e.event]}: ${e.message}`;
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    // Enough markdown for our cards: paragraphs, bullet lists, bold, and links to the targets Teams
    // opens from a card (web pages and e-mail addresses).
    const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    const inline = (s) => escape(s).replace(/\*\*(.+?)\*\*/g, "<b>$1</b>").replace(/\[([^\]]+)\]\(((?:https:|mailto:)[^)\s]+)\)/g, '<a href="$2">$1</a>');
    const lines = text.split("\n");
    const items = lines.filter((l) => /^- /.test(l));
    result.outputHtml = items.length === lines.length
      ? `<ul>${items.map((l) => `<li>${inline(l.slice(2))}</li>`).join("")}</ul>`
      : lines.map((l) => `<p>${inline(l)}</p>`).join("");
    result.didProcess = true;
  };
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const adaptiveCard = new AC.AdaptiveCard();
  adaptiveCard.maxVersion = AC.Versions.v1_5;
  adaptiveCard.hostConfig = new AC.HostConfig(hostConfig);
  const report = { warnings: [], errors: [] };
  try { adaptiveCard.parse(card, context); } catch (e) { report.errors.push(`parse: ${e}`); return report; }
  for (let i = 0; i < context.eventCount; i++) report.warnings.push(`parse ${describe(context.getEventAt(i))}`);
  for (const e of adaptiveCard.validateProperties().validationEvents) report.warnings.push(`validate ${describe(e)}`);
  const element = adaptiveCard.render();
  if (!element) { report.errors.push("render() returned nothing"); return report; }
  const frame = document.createElement("div");
  frame.id = id;
  frame.style.cssText = "width:460px;background:#fff;border:1px solid #e0e0e0;border-radius:6px;margin-bottom:12px";
  frame.appendChild(element);
  document.body.appendChild(frame);
  return report;
}

function measureInPage({ id }) {
  // What staff would miss: a button title wider than its button or the card, and markdown left as text.
  const frame = document.getElementById(id);
  const edge = frame.getBoundingClientRect().right;
  const visible = (el) => el.offsetParent !== null && el.getClientRects().length > 0;
  const clipped = [];
  for (const button of frame.querySelectorAll("button, .ac-pushButton")) {
    if (!visible(button)) continue;
    const parts = [button, ...button.querySelectorAll("*")];
    const overflows = parts.some((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0);
    const pastEdge = parts.some((el) => el.getBoundingClientRect().right > edge + 0.5);
    if (overflows || pastEdge) clipped.push(button.textContent.trim());
  }
  const rawMarkdown = [];
  for (const block of frame.querySelectorAll(".ac-textBlock, .ac-factset")) {
    const text = block.innerText;
    if (/\[[^\]\n]*\]\([^)\s]*\)|\*\*/.test(text)) rawMarkdown.push(text);
  }
  const links = [...frame.querySelectorAll("a[href]")].map((a) => ({ text: a.textContent, href: a.getAttribute("href") }));
  return { clipped: [...new Set(clipped)], rawMarkdown, links };
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "faqbot-cards-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
});
const results = {};
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  const consoleProblems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") consoleProblems.push(m.text()); });
  await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>
    body{margin:12px;background:#f5f5f5;font-family:'Segoe UI','Liberation Sans',sans-serif} p{margin:0 0 6px 0}
    .ac-pushButton{border:1px solid #d1d1d1;background:#fff;border-radius:4px;padding:5px 12px;font-weight:600;font-size:14px;color:#242424}
    .ac-pushButton.style-positive{background:#5B5FC7;border-color:#5B5FC7;color:#fff}
    .ac-input{font-family:inherit;font-size:14px;border:1px solid #d1d1d1;border-radius:4px;padding:5px 8px}
  </style></head><body></body></html>`);
  await page.addScriptTag({ path: path.join(rendererDir, "dist", "adaptivecards.min.js") });
  for (const [index, { name, card }] of cards.entries()) {
    const id = `card-${index}`;
    const report = await page.evaluate(renderInPage, { card, hostConfig, id });
    if (!report.errors.length) {
      Object.assign(report, await page.evaluate(measureInPage, { id }));
      await page.locator(`#${id}`).screenshot({ path: path.join(outDir, `${name}.png`) });
    }
    results[name] = report;
  }
  if (consoleProblems.length) results["(browser console)"] = { warnings: consoleProblems, errors: [] };
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
const { version } = JSON.parse(fs.readFileSync(path.join(rendererDir, "package.json"), "utf8"));
console.log(JSON.stringify({ renderer: `adaptivecards@${version}`, cards: results }, null, 2));
const failed = (r) => r.warnings.length || r.errors.length || r.clipped?.length || r.rawMarkdown?.length;
process.exit(Object.values(results).some(failed) ? 1 : 0);
