#!/usr/bin/env node
// Screenshots of the main cards as staff see them in the Microsoft 365 Agents Playground (the pinned
// npm @microsoft/m365agentsplayground), driven in Debian's headless Chromium through its web UI:
// the bot (`faqbot run`) in local mode on a free loopback port with throwaway files, the Playground on
// loopback against it, then install -> welcome -> first example question -> answer (and its related
// questions) -> 👍 -> voted card, and a vague question -> "Did you mean" card.
// Usage: node playground_screens.mjs OUT_DIR [FAQBOT]   (FAQBOT: the `faqbot` command, default
// ../.venv/bin/faqbot). Writes OUT_DIR/{welcome,answer,answer-related,answer-voted,did-you-mean}.png.
// Message times are hidden and the mouse and focus moved away before each shot, so an unchanged card
// gives the same bytes on one machine. Exit 1 (with the step that failed) if a card does not appear.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const [outDir, command = path.join(here, "..", ".venv", "bin", "faqbot")] = process.argv.slice(2);
const faqbot = path.resolve(command);
if (!outDir) { console.error("usage: node playground_screens.mjs OUT_DIR [FAQBOT]"); process.exit(2); }
// Vague questions, most likely first: the first one the bot answers with "Did you mean" is shown.
const VAGUE = ["personal accounts", "whatsapp", "subject access", "social media", "phone"];
const WAIT = 30000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "faqbot-playground-screens-"));
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

function start(command, args, env, ready) {
  const child = spawn(command, args, { cwd: work, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path.basename(command)} did not start: ${output.slice(-2000)}`)), 60000);
    const onData = (data) => { output += data; const found = ready(output); if (found) { clearTimeout(timer); resolve(found); } };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", (error) => { clearTimeout(timer); reject(new Error(`${command}: ${error.message}`)); });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`${path.basename(command)} exited ${code}: ${output.slice(-2000)}`)); });
  });
}

async function startBot() {
  const port = await freePort();
  const env = {
    HOST: "127.0.0.1", PORT: String(port), FAQBOT_LOCAL_MODE: "1", FAQBOT_METRICS_PORT: "0",
    FAQBOT_DATABASE_URL: `sqlite:///${path.join(work, "bot.sqlite3")}`, FAQBOT_PID_FILE: path.join(work, "bot.pid"),
    FAQBOT_EMBEDDING_CACHE: path.join(work, "embeddings.sqlite3"),
    FAQBOT_HR_DIRECT_URL: "https://teams.microsoft.com/l/chat/0/0?users=hr.direct@example.org",
  };
  await start(faqbot, ["run"], env, (output) => output.includes(`127.0.0.1:${port}/api/messages`));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${base}/readyz`)).ok) return `${base}/api/messages`; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the bot did not become ready");
}

function startPlayground(endpoint) {
  const cli = path.join(path.dirname(require.resolve("@microsoft/m365agentsplayground/package.json")), "cli.js");
  return start(process.execPath, [cli, "-e", endpoint, "-c", "msteams", "-p", "0", "--disable-telemetry"],
    { TEAMSAPPTESTER_BROWSER: "none", NODE_OPTIONS: `--require ${path.join(here, "loopback.cjs")}` },
    (output) => { const m = output.match(/Listening on (\d+)/); return m && `http://127.0.0.1:${m[1]}/`; });
}

// Marks the whole message (author line and card) that holds the newest card matching `pattern`,
// as data-shot=`name`; returns false while there is none.
function markMessage({ pattern, name, after }) {
  const cards = [...document.querySelectorAll(".ac-adaptiveCard")].slice(after);
  const card = cards.reverse().find((c) => new RegExp(pattern, "i").test(c.innerText));
  if (!card) return false;
  let message = card;
  while (message && !message.querySelector('[aria-label="Message header"]')) message = message.parentElement;
  if (!message) return false;
  document.querySelectorAll(`[data-shot="${name}"]`).forEach((e) => e.removeAttribute("data-shot"));
  message.setAttribute("data-shot", name);
  card.setAttribute("data-shot-card", name);
  return true;
}

// The "Related questions" heading of the marked answer card and the choices under it, as a clip.
function relatedBox({ name, heading }) {
  const card = document.querySelector(`[data-shot-card="${name}"]`);
  const title = [...card.querySelectorAll(".ac-textBlock")].find((t) => t.innerText.trim() === heading);
  if (!title) return null;
  // The choices are buttons, or wrapped "› question" lines for entries without a short title; the
  // next other text ("Did this answer help?") ends the part.
  const parts = [...card.querySelectorAll(".ac-textBlock, button")];
  const rects = [title.getBoundingClientRect()];
  for (const part of parts.slice(parts.indexOf(title) + 1)) {
    if (part.matches(".ac-textBlock") && !part.innerText.trim().startsWith("›")) break;
    rects.push(part.getBoundingClientRect());
  }
  const outer = card.getBoundingClientRect();
  const top = Math.min(...rects.map((r) => r.top)) - 8, bottom = Math.max(...rects.map((r) => r.bottom)) + 8;
  return { x: outer.left, y: top, width: outer.width, height: bottom - top };
}

let browser, failed = false;
const shots = [];
try {
  const endpoint = await startBot();
  const playground = await startPlayground(endpoint);
  const profile = path.join(work, "chromium");
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1200, height: 3000 },
    deviceScaleFactor: 1,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--font-render-hinting=none"],
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  // Only this machine: the Playground's web fonts and animations come from a CDN, which would make
  // the pictures depend on the network.
  await page.route("**/*", (route) => (/^(127\.0\.0\.1|localhost)$/.test(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
  await page.goto(playground);
  await page.addStyleTag({ content: [
    // The time of each message, and the Playground's own "Your response was sent to the app" notice
    // under a card after an Action.Execute (Teams shows none).
    '[aria-label="Message timestamp"]{visibility:hidden !important}',
    '[aria-label="Display Invoked Message"]{display:none !important}',
  ].join("\n") });

  const step = async (what, fn) => {
    try { return await fn(); } catch (error) { throw new Error(`${what}: ${error.message.split("\n")[0]}`); }
  };
  const cardCount = () => page.locator(".ac-adaptiveCard").count();
  const waitForCard = (pattern, name, after = 0) => page.waitForFunction(markMessage, { pattern, name, after }, { timeout: WAIT });
  const still = async () => {
    await page.mouse.move(0, 0);
    await page.evaluate(() => document.activeElement?.blur());
    await page.evaluate(() => document.fonts.ready);
  };
  // The chat scrolls smoothly to its newest message: measure until two frames agree.
  const settled = async (measure) => {
    let last = null;
    for (let i = 0; i < 100; i++) {
      const box = await measure();
      if (!box) throw new Error("nothing to measure");
      if (last && JSON.stringify(box) === JSON.stringify(last)) return box;
      last = box;
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
    throw new Error("the page did not settle");
  };
  const shoot = async (name, target) => {
    await still();
    const file = path.join(outDir, `${name}.png`);
    if (target.clip) await page.screenshot({ path: file, clip: await settled(target.clip), animations: "disabled", caret: "hide" });
    else await target.screenshot({ path: file, animations: "disabled", caret: "hide" });
    shots.push(name);
  };
  fs.mkdirSync(outDir, { recursive: true });

  // Opening the Playground installs the bot in the personal chat: the welcome card.
  await step("welcome card after install", () => waitForCard("^welcome to", "welcome"));
  await shoot("welcome", page.locator('[data-shot="welcome"]'));

  // The welcome card's first example question; its answer offers related questions and 👍 / 👎.
  let mark = await cardCount();
  const example = page.locator('[data-shot-card="welcome"] .ac-actionSet button').first();
  await step("example question on the welcome card", () => example.waitFor({ timeout: WAIT }));
  await example.click();
  await step("answer card after the example question", () => waitForCard("Policy reference", "answer", mark));
  await shoot("answer", page.locator('[data-shot="answer"]'));
  await step("related questions on the answer card", () =>
    shoot("answer-related", { clip: () => page.evaluate(relatedBox, { name: "answer", heading: "Related questions" }) }));

  // 👍: the card is replaced in place by the voted one.
  const up = page.locator('[data-shot-card="answer"] button').filter({ hasText: "👍" }).first();
  await step("👍 on the answer card", () => up.waitFor({ timeout: WAIT }));
  await up.click();
  await step("voted card after 👍", () => waitForCard("thanks for your feedback", "answer-voted", mark));
  await shoot("answer-voted", page.locator('[data-shot="answer-voted"]'));

  // A vague question: the first of VAGUE the bot answers with "Did you mean".
  const box = page.locator('[role="textbox"][contenteditable="true"]');
  let asked = null;
  for (const question of VAGUE) {
    mark = await cardCount();
    await box.click();
    await box.fill(question);
    await page.locator('button[aria-label="Send Message"]').click();
    await step(`reply to "${question}"`, () => page.waitForFunction((n) => document.querySelectorAll(".ac-adaptiveCard").length > n, mark, { timeout: WAIT }));
    if (await page.evaluate(markMessage, { pattern: "did you mean", name: "did-you-mean", after: mark })) { asked = question; break; }
  }
  if (!asked) throw new Error(`did-you-mean card: none of ${JSON.stringify(VAGUE)} gave one`);
  await shoot("did-you-mean", page.locator('[data-shot="did-you-mean"]'));
} catch (error) {
  failed = true;
  console.error(`FAIL ${error.message}`);
} finally {
  await browser?.close().catch(() => {});
  for (const child of children) { try { if (child.pid) process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ } }
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(JSON.stringify({ playground: require("@microsoft/m365agentsplayground/package.json").version, shots }));
process.exit(failed ? 1 : 0);
