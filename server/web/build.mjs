// Build srkb's SPARQL editor: YASGUI and server/web/src/ bundled by esbuild into
// server/static/yasgui/: editor.js, editor.css, LICENSES.txt (the licence of every
// package the bundle is made from, served beside it) and BUILD-STAMP.
//
//   node build.mjs          build (npm run build)
//   node build.mjs --check  exit 0 when the bundle is there and built from the current
//                           sources and lock file, 1 otherwise (scripts/setup.sh asks)
//
// BUILD-STAMP is a hash of everything the bundle is made from; the check needs no
// node_modules, so setup.sh can ask before `npm ci`.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "yasgui");
const stampFile = join(out, "BUILD-STAMP");
const outputs = ["editor.js", "editor.css", "LICENSES.txt"];

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

function stamp() {
  const hash = createHash("sha256");
  const inputs = [join(here, "build.mjs"), join(here, "package-lock.json")];
  inputs.push(...files(join(here, "src")));
  for (const file of inputs) {
    hash.update(relative(here, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

function upToDate() {
  return (
    existsSync(stampFile) &&
    readFileSync(stampFile, "utf8").trim() === stamp() &&
    outputs.every((f) => existsSync(join(out, f)))
  );
}

// The licence texts of the runtime packages in the lock file (YASGUI and what its
// prebuilt module contains), for the notice the MIT, BSD and Apache licences ask for.
function licences() {
  const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
  const parts = ["Third-party software in srkb's SPARQL editor bundle (editor.js, editor.css)\n"];
  for (const [path, info] of Object.entries(lock.packages)) {
    if (!path || info.dev) {
      continue;
    }
    const dir = join(here, path);
    const text = readdirSync(dir)
      .filter((f) => /^(licen[cs]e|copying)/i.test(f))
      .map((f) => readFileSync(join(dir, f), "utf8").trim())
      .join("\n\n");
    const name = path.replace(/^.*node_modules\//, "");
    const licence = info.license || "see below";
    const body = text || "(no licence file in the package)";
    parts.push(`${"=".repeat(78)}\n${name} ${info.version} (${licence})\n\n${body}\n`);
  }
  return parts.join("\n");
}

if (process.argv.includes("--check")) {
  process.exit(upToDate() ? 0 : 1);
}

const esbuild = await import("esbuild");
const result = await esbuild.build({
  entryPoints: { editor: join(here, "src", "editor.js") },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir: out,
  legalComments: "none", // YASGUI's build keeps none; LICENSES.txt has them all
  metafile: true,
  logLevel: "warning",
});
writeFileSync(join(out, "LICENSES.txt"), licences());
writeFileSync(stampFile, stamp() + "\n");
for (const [file, info] of Object.entries(result.metafile.outputs)) {
  console.log(`${relative(join(here, ".."), file)}: ${(info.bytes / 1024).toFixed(0)} KB`);
}
