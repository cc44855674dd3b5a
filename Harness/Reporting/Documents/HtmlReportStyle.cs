namespace Harness.Reporting.Documents;

/// <summary>
/// The report's inline stylesheet and its one small script. Everything lives in the page so a report can be mailed
/// or archived as a single file; fonts are the system's, never fetched.
/// </summary>
internal static class HtmlReportStyle
{
    public const string Css = """
        :root { --pass: #1a7f37; --fail: #cf222e; --na: #6e7781; --border: #d0d7de; --muted: #57606a; --subtle: #f6f8fa; --fail-bg: #ffebe9; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; color: #1f2328; background: #fff; }
        header.summary { position: sticky; top: 0; z-index: 10; background: rgba(255, 255, 255, 0.97); border-bottom: 1px solid var(--border); box-shadow: 0 1px 4px rgba(0, 0, 0, 0.06); padding: 10px 24px 8px; }
        header.summary h1 { margin: 0; font-size: 21px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
        header.summary .subtitle { margin: 2px 0 0; color: var(--muted); }
        header.summary .tally { margin: 4px 0 0; font-weight: 600; }
        header.summary nav { margin-top: 4px; font-size: 14px; }
        header.summary nav a { margin-right: 16px; }
        a { color: #0969da; text-decoration: none; }
        a:hover { text-decoration: underline; }
        main { max-width: 1280px; margin: 0 auto; padding: 4px 24px 48px; }
        section, details.tensor { scroll-margin-top: 140px; }
        h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--border); }
        h3 { font-size: 16px; margin: 16px 0 6px; }
        h4 { font-size: 14px; margin: 14px 0 4px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
        .badge { display: inline-block; min-width: 44px; text-align: center; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 700; letter-spacing: 0.04em; color: #fff; vertical-align: middle; }
        .badge.pass { background: var(--pass); }
        .badge.fail { background: var(--fail); }
        .badge.na { background: var(--na); }
        table { border-collapse: collapse; margin: 6px 0 14px; font-size: 14px; }
        th, td { border: 1px solid var(--border); padding: 4px 10px; text-align: left; vertical-align: top; }
        th { background: var(--subtle); font-weight: 600; white-space: nowrap; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        tr.fail > td { background: var(--fail-bg); }
        tr.explains > td { background: #dafbe1; }
        table.facts th { text-align: right; color: var(--muted); font-weight: 500; background: none; }
        code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 13px; }
        pre { margin: 4px 0 12px; padding: 10px 12px; background: var(--subtle); border: 1px solid var(--border); border-radius: 6px; overflow-x: auto; white-space: pre; line-height: 1.4; }
        pre.verdict { white-space: pre-wrap; word-break: break-word; }
        ol.findings li { margin: 3px 0; }
        ol.findings li:first-child { font-weight: 600; }
        .card { border: 1px solid var(--border); border-left: 4px solid #bf8700; border-radius: 6px; padding: 6px 14px; margin: 8px 0; }
        .card h3 { margin: 4px 0; }
        .card p { margin: 4px 0; }
        details.tensor { border: 1px solid var(--border); border-left: 5px solid var(--pass); border-radius: 8px; margin: 10px 0; }
        details.tensor.failed { border-left-color: var(--fail); }
        details.tensor > summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; list-style: none; }
        details.tensor > summary::-webkit-details-marker { display: none; }
        details.tensor > summary::before { content: "\25B8"; color: var(--muted); width: 0.8em; }
        details.tensor[open] > summary::before { content: "\25BE"; }
        details.tensor[open] > summary { border-bottom: 1px solid var(--border); background: var(--subtle); border-radius: 0 8px 0 0; }
        details.tensor > summary .name { font-weight: 700; font-size: 15px; }
        details.tensor > summary .kind, details.tensor > summary .brief { color: var(--muted); font-size: 13px; }
        .tensor-body { padding: 6px 16px 12px; }
        .plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 12px; margin: 6px 0 12px; }
        .plots figure { margin: 0; }
        .plots img { width: 100%; height: auto; border: 1px solid var(--border); border-radius: 6px; }
        .plots figcaption { font-size: 13px; color: var(--muted); }
        .empty { color: var(--muted); font-style: italic; }
        """;

    /// <summary>Opens a collapsed tensor section when a link (or the address) points at it; the page works without it.</summary>
    public const string Script = """
        function openTarget() {
          var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
          if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
        }
        window.addEventListener("hashchange", openTarget);
        window.addEventListener("DOMContentLoaded", openTarget);
        """;
}
