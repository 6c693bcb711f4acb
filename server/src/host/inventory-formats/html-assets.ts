/** The report's inline style: system fonts only, readable on screen, every row on paper. */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1d2430; --muted: #5b6575; --line: #d8dde5; --bg: #f6f8fa; --red: #b42318; --red-bg: #fde8e6; --green: #1a7f37; --green-bg: #e6f4ea; --amber: #8a5a00; --amber-bg: #fff4d6; --accent: #1b3a4b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif; color: var(--fg); background: #fff; }
header { padding: 16px 24px 8px; border-bottom: 3px solid var(--accent); background: var(--bg); }
h1 { margin: 0 0 4px; font-size: 22px; color: var(--accent); }
h2 { margin: 28px 0 4px; font-size: 18px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 16px 0 6px; font-size: 15px; }
main { padding: 0 24px 32px; }
nav a { margin-right: 10px; }
a { color: #0b5cad; }
.muted { color: var(--muted); font-size: 12.5px; }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin: 10px 0 4px; }
.filters select, .filters input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 130px; background: #fff; }
.card .n { font-size: 22px; font-weight: 700; color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
tr:target { outline: 2px solid #0b5cad; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
code.sql { color: #3b4252; }
.chip { display: inline-block; padding: 0 6px; border-radius: 10px; background: #e8edf3; font-size: 12px; margin: 1px 0; }
.chip.special { background: var(--red-bg); color: var(--red); font-weight: 600; }
.state { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12.5px; font-weight: 600; }
.state.clear { background: var(--red-bg); color: var(--red); }
.state.encrypted { background: var(--green-bg); color: var(--green); }
.state.none { background: #eef0f3; color: var(--muted); }
.flag { display: inline-block; padding: 0 5px; border-radius: 4px; background: var(--amber-bg); color: var(--amber); font-size: 12px; font-weight: 600; }
.count { font-size: 13px; color: var(--muted); font-weight: 400; }
.risks li { margin: 3px 0; }
.level { display: inline-block; width: 58px; text-align: center; border-radius: 4px; font-size: 12px; font-weight: 700; text-transform: uppercase; }
.level.high { background: var(--red-bg); color: var(--red); }
.level.medium { background: var(--amber-bg); color: var(--amber); }
.level.low { background: #eef0f3; color: var(--muted); }
tr[hidden] { display: none; }
@media print {
  .filters, nav { display: none; }
  header { background: none; }
  tr[hidden] { display: table-row; }
  .shown { display: none; }
  tr, .card { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  body { font-size: 11px; }
}
`;

/** Filters: a row is shown when it matches the text, the category and (stores, fields, routes) the protection. */
export const REPORT_SCRIPT = `
(function () {
  var text = document.getElementById('filter-text');
  var category = document.getElementById('filter-category');
  var protection = document.getElementById('filter-protection');
  function apply() {
    var t = text.value.trim().toLowerCase(), c = category.value, p = protection.value;
    document.querySelectorAll('section[data-section]').forEach(function (section) {
      var rows = section.querySelectorAll('tr[data-text]'), shown = 0;
      rows.forEach(function (row) {
        var ok = (!t || row.getAttribute('data-text').indexOf(t) >= 0)
          && (!c || (' ' + row.getAttribute('data-cat') + ' ').indexOf(' ' + c + ' ') >= 0)
          && (!p || !row.hasAttribute('data-prot') || row.getAttribute('data-prot') === p);
        row.hidden = !ok;
        if (ok) shown++;
      });
      var label = section.querySelector('.shown');
      if (label) label.textContent = (t || c || p) && rows.length ? '(' + shown + ' shown)' : '';
    });
  }
  [text, category, protection].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
  apply();
})();
`;
