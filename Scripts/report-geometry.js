// Layout check for report.html, run inside headless Chromium: the tests append this script to a
// copy of the page (the page itself has no scripts), load it at a given window width with
// `chromium --headless --dump-dom`, and read the JSON this writes into the pre element with id
// assay-geometry.
//
// It reports every overlap a reader would see:
//   - text that runs out of its table cell (into the next cell or off the table);
//   - fact tables of the summary grid that overlap each other;
//   - any two texts of a chart (point labels, roof tags, tick labels, axis titles, legend)
//     whose boxes intersect, and chart text outside its chart;
//   - a page wider than the window (something pushes the layout sideways).
(function () {
  const problems = [];
  const slack = 0.5;
  const box = (element) => element.getBoundingClientRect();
  const overlap = (a, b) => a.left < b.right - slack && b.left < a.right - slack && a.top < b.bottom - slack && b.top < a.bottom - slack;
  const name = (element) => {
    const text = (element.textContent || "").replace(/\s+/g, " ").trim().slice(0, 48);
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + ' "' + text + '"';
  };
  let cells = 0, texts = 0;
  for (const cell of document.querySelectorAll("th, td")) {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const inner = range.getBoundingClientRect(), outer = box(cell);
    if (inner.width === 0 && inner.height === 0) continue;
    cells += 1;
    if (inner.left < outer.left - 1 || inner.right > outer.right + 1) {
      problems.push("text overflows its cell by " + Math.round(Math.max(outer.left - inner.left, inner.right - outer.right)) + " px: " + name(cell));
    }
  }
  const facts = [...document.querySelectorAll(".facts > *")];
  for (let i = 0; i < facts.length; i += 1) {
    for (let j = i + 1; j < facts.length; j += 1) {
      if (overlap(box(facts[i]), box(facts[j]))) problems.push("summary tables overlap: " + name(facts[i]) + " and " + name(facts[j]));
    }
  }
  for (const chart of document.querySelectorAll("svg.chart")) {
    const frame = box(chart);
    const labels = [...chart.querySelectorAll("text")].filter((text) => text.textContent.trim() !== "");
    texts += labels.length;
    for (let i = 0; i < labels.length; i += 1) {
      const a = box(labels[i]);
      if (a.left < frame.left - 1 || a.right > frame.right + 1 || a.top < frame.top - 1 || a.bottom > frame.bottom + 1) {
        problems.push("chart text outside its chart: " + name(labels[i]));
      }
      for (let j = i + 1; j < labels.length; j += 1) {
        if (overlap(a, box(labels[j]))) problems.push("chart texts overlap: " + name(labels[i]) + " and " + name(labels[j]));
      }
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    problems.push("page is " + document.documentElement.scrollWidth + " px wide in a " + window.innerWidth + " px window");
  }
  const out = document.createElement("pre");
  out.id = "assay-geometry";
  out.textContent = JSON.stringify({ width: window.innerWidth, cells: cells, texts: texts, problems: problems });
  document.body.appendChild(out);
})();
