#!/usr/bin/env node
// Validates a Teams app package zip against the official Teams manifest JSON schema for its
// manifestVersion, as bundled (offline) in the npm package @microsoft/app-manifest, using that
// package's own validator. Also checks the zip layout and that the icons it names are present.
// Usage: node validate_manifest.mjs app-package.zip   (exit 0 = valid, 1 = invalid)
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { AppManifestUtils } = require("@microsoft/app-manifest");
const packageDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));

// Minimal zip reader: the packages we build are small, "stored" or "deflated", without zip64.
function unzip(buffer) {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip file");
  const files = new Map();
  let at = buffer.readUInt32LE(end + 16);
  for (let i = buffer.readUInt16LE(end + 10); i > 0; i--) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const skip = nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString("utf8", at + 46, at + 46 + nameLength);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const raw = buffer.subarray(start, start + size);
    files.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + skip;
  }
  return files;
}

function schemaFor(version) {
  const file = path.join(packageDir, "build", "json-schemas", "teams", `v${version}`, "MicrosoftTeams.schema.json");
  if (!fs.existsSync(file)) throw new Error(`no official schema bundled for manifestVersion ${version}`);
  // The published schema files contain \a and \v escapes that JSON.parse rejects.
  return JSON.parse(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"));
}

const input = process.argv[2];
if (!input) { console.error("usage: node validate_manifest.mjs app-package.zip"); process.exit(2); }
const errors = [];
const files = unzip(fs.readFileSync(input));
const manifestBytes = files.get("manifest.json");
let version = null;
if (!manifestBytes) errors.push("manifest.json is not at the root of the zip");
else {
  const manifest = JSON.parse(manifestBytes.toString("utf8"));
  version = manifest.manifestVersion;
  for (const message of await AppManifestUtils.validateAgainstSchema(manifest, schemaFor(version))) errors.push(`schema: ${message.trim()}`);
  for (const role of ["color", "outline"]) if (!files.has(manifest.icons?.[role])) errors.push(`icons.${role} is not in the zip`);
}
const { version: validator } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
console.log(`${input}: manifestVersion ${version}, official schema from @microsoft/app-manifest ${validator}`);
for (const e of errors) console.log(`  ERROR ${e}`);
console.log(errors.length ? `INVALID (${errors.length} error(s))` : "VALID");
process.exit(errors.length ? 1 : 0);
