// Copies GOV.UK Frontend's JavaScript into Django's static files. Fonts and favicons are
// left out on purpose: this is not a GOV.UK service. The crest is copied only because the
// (unused) GOV.UK header styles refer to it and collectstatic's manifest must resolve it.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const from = "node_modules/govuk-frontend/dist/govuk";
const to = "commissioning/web/static/web/govuk";
mkdirSync(`${to}/assets/images`, { recursive: true });
cpSync(`${from}/govuk-frontend.min.js`, `${to}/govuk-frontend.min.js`);
cpSync(`${from}/assets/images/govuk-crest.svg`, `${to}/assets/images/govuk-crest.svg`);

// Vega, Vega-Lite and vega-embed for the charts (web/charts.mjs). Their browser builds set
// globals (vega, vegaLite, vegaEmbed) and are copied as they are, with the source maps they
// name (collectstatic's manifest must resolve every sourceMappingURL).
const vendor = "commissioning/web/static/web/vendor";
rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
for (const file of [
  "vega/build/vega.min.js",
  "vega-lite/build/vega-lite.min.js",
  "vega-lite/build/vega-lite.min.js.map",
  "vega-embed/build/vega-embed.min.js",
  "vega-embed/build/vega-embed.min.js.map",
]) {
  cpSync(`node_modules/${file}`, `${vendor}/${file.split("/").pop()}`);
}

// vega-interpreter (evaluates Vega expressions without eval, so the Content-Security-Policy
// needs no 'unsafe-eval') ships only as an ES module importing three helpers from
// 'vega-util', which the vega build above already carries: take them from its global.
const interpreter = readFileSync("node_modules/vega-interpreter/build/vega-interpreter.js", "utf8");
const bareImport = /^import \{([^}]*)\} from 'vega-util';$/m;
if (!bareImport.test(interpreter)) {
  throw new Error("vega-interpreter no longer starts with its one import from vega-util");
}
writeFileSync(
  `${vendor}/vega-interpreter.mjs`,
  interpreter
    .replace(bareImport, "const {$1} = globalThis.vega;")
    .replace(/^\/\/# sourceMappingURL=.*$/m, ""),
);
