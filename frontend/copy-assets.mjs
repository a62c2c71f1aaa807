// Copies GOV.UK Frontend's JavaScript into Django's static files. Fonts and favicons are
// left out on purpose: this is not a GOV.UK service. The crest is copied only because the
// (unused) GOV.UK header styles refer to it and collectstatic's manifest must resolve it.
import { cpSync, mkdirSync } from "node:fs";

const from = "node_modules/govuk-frontend/dist/govuk";
const to = "commissioning/web/static/web/govuk";
mkdirSync(`${to}/assets/images`, { recursive: true });
cpSync(`${from}/govuk-frontend.min.js`, `${to}/govuk-frontend.min.js`);
cpSync(`${from}/assets/images/govuk-crest.svg`, `${to}/assets/images/govuk-crest.svg`);
