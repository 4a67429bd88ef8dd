#!/usr/bin/env node
// The staff journey through the Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground),
// against a running bot: install -> welcome card -> first example question button -> answer card ->
// first related question button -> answer card -> thumbs up (Action.Execute) -> acknowledged card.
// Usage: node playground_roundtrip.mjs http://127.0.0.1:3978/api/messages   (exit 0 = every step passed)
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import WebSocket from "ws";

const require = createRequire(import.meta.url);
const endpoint = process.argv[2] || "http://127.0.0.1:3978/api/messages";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const work = fs.mkdtempSync(path.join(os.tmpdir(), "faqbot-playground-"));

async function call(method, url, body) {
  const response = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

function startPlayground() {
  const cli = path.join(path.dirname(require.resolve("@microsoft/m365agentsplayground/package.json")), "cli.js");
  const child = spawn(process.execPath, [cli, "-e", endpoint, "-c", "msteams", "-p", "0", "--disable-telemetry"], {
    cwd: work, detached: true, stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: "none", NODE_OPTIONS: `--require ${path.resolve(path.dirname(new URL(import.meta.url).pathname), "loopback.cjs")}` },
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`playground did not start: ${output}`)), 30000);
    const onData = (d) => { output += d; const m = output.match(/Listening on (\d+)/); if (m) { clearTimeout(timer); resolve({ child, base: `http://127.0.0.1:${m[1]}` }); } };
    child.stdout.on("data", onData); child.stderr.on("data", onData);
  });
}

function actions(node, found = []) {
  if (Array.isArray(node)) node.forEach((n) => actions(n, found));
  else if (node && typeof node === "object") {
    if (/^Action\.(Submit|Execute)$/.test(node.type)) found.push(node);
    for (const key of ["body", "actions", "items", "card", "columns"]) if (node[key]) actions(node[key], found);
  }
  return found;
}
const cardOf = (message) => (message.attachments || []).find((a) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content;
const textOf = (card) => JSON.stringify(card?.body ?? []);

const { child, base } = await startPlayground();
const steps = [];
let failed = false;
function step(name, ok, detail) { steps.push({ name, ok, detail }); console.log(`${ok ? "PASS" : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`); if (!ok) failed = true; }
try {
  const { config } = await call("GET", `${base}/_internal/v1/config`);
  const conversation = config.personalChat.id, me = config.currentUser.id, bot = config.bot.id;
  const events = [];
  const socket = new WebSocket(`${base.replace("http", "ws")}/_ws_conversation/v1/conversations/stream`);
  socket.on("message", (raw) => { try { events.push(JSON.parse(raw.toString())); } catch { /* not ours */ } });
  await new Promise((resolve, reject) => { socket.once("open", resolve); socket.once("error", reject); });
  await sleep(500);
  const nextCard = async (mark) => {
    for (let i = 0; i < 100; i++) {
      const reply = events.slice(mark).find((e) => e.message?.from?.id === bot && cardOf(e.message));
      if (reply) return reply.message;
      await sleep(100);
    }
    return null;
  };
  const submit = async (message, action) => {
    const mark = events.length;
    await call("POST", `${base}/_conversation/v1/submit`, { conversation: { id: conversation }, from: { id: me }, replyToId: message.messageId, value: action.data });
    return nextCard(mark);
  };

  let mark = events.length;
  await call("POST", `${base}/_debug/conversation/${conversation}/installation`, {});
  const welcome = await nextCard(mark);
  step("install shows the welcome card", textOf(cardOf(welcome ?? {})).includes("Welcome to"));
  const example = actions(cardOf(welcome ?? {})).find((a) => a.data?.action === "show-entry");
  step("welcome offers example questions", Boolean(example), example?.title);
  const answer = example && (await submit(welcome, example));
  step("example question button shows its answer", textOf(cardOf(answer ?? {})).includes("Policy reference"), example?.title);
  const related = answer && actions(cardOf(answer)).find((a) => a.data?.action === "show-entry");
  step("answer offers related questions", Boolean(related), related?.title);
  const second = related && (await submit(answer, related));
  // The button shows the entry's short title, the answer its whole question: match them by the entry id
  // the answer's own 👍/👎 carry.
  const answers = (card, entry) => textOf(card).includes("Policy reference") &&
    actions(card).some((a) => a.data?.action === "feedback" && a.data?.entry === entry);
  step("related question button shows its answer", answers(cardOf(second ?? {}), related?.data?.entry), related?.title);
  const up = second && actions(cardOf(second)).find((a) => a.type === "Action.Execute" && a.data?.vote === "up");
  step("answer offers thumbs up", Boolean(up));
  if (up) {
    mark = events.length;
    const result = await call("POST", `${base}/_conversation/v1/invoke`, {
      name: "adaptiveCard/action", conversation: { id: conversation }, from: { id: me }, replyToId: second.messageId,
      value: { action: { type: "Action.Execute", verb: up.verb, data: up.data }, trigger: "manual" },
    });
    await sleep(1000);
    const updated = events.slice(mark).find((e) => e.message?.from?.id === bot);
    const shown = JSON.stringify(result ?? "") + JSON.stringify(updated ?? "");
    step("thumbs up is acknowledged on the card", shown.includes("Thanks for your feedback"), updated ? `${updated.action} ${updated.message?.messageId}` : "invoke response only");
  }
  socket.close();
} catch (error) {
  step("round trip", false, String(error));
} finally {
  try { process.kill(-child.pid, "SIGTERM"); } catch { /* gone */ }
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(failed ? "FAIL" : "PASS: welcome -> example question -> answer -> related question -> thumbs up");
process.exit(failed ? 1 : 0);
