// Redraws each chart the server drew as SVG (needs/includes/chart.html) with vega-embed, from
// the same Vega-Lite spec, sized to its column. Under the site's Content-Security-Policy:
// expressions are interpreted, not compiled with eval (`ast` and vega-interpreter), and
// vega-embed adds no <style> (no default style, no tooltip handler). If anything fails, the
// server's SVG stays.
const charts = [...document.querySelectorAll("[data-chart-spec]")];

if (charts.length > 0) {
  // The builds set globals, each reading the ones before it: load them in order.
  await import("./vendor/vega.min.js");
  await import("./vendor/vega-lite.min.js");
  await import("./vendor/vega-embed.min.js");
  const { expressionInterpreter } = await import("./vendor/vega-interpreter.mjs");

  for (const drawn of charts) {
    const source = document.getElementById(drawn.dataset.chartSpec);
    if (!source) continue;
    const live = document.createElement("div");
    live.className = "oc-chart__live";
    drawn.after(live);
    drawn.hidden = true;
    try {
      await globalThis.vegaEmbed(live, JSON.parse(source.textContent), {
        renderer: "svg",
        actions: false,
        defaultStyle: false,
        tooltip: false,
        ast: true,
        expr: expressionInterpreter,
      });
      // One image named by the spec's description, as the server's SVG was (Vega makes it a
      // "graphics-document", which screen readers support less well).
      live.setAttribute("role", "img");
      live.removeAttribute("aria-roledescription");
      drawn.remove();
    } catch (error) {
      live.remove();
      drawn.hidden = false;
      console.warn("The chart stays as the server drew it:", error);
    }
  }
}
