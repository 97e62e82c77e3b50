import AssayCore
import Foundation

/// The HTML shell every page of the compatibility list shares: inline style and script only,
/// a content security policy that forbids anything external, so a page works from file://
/// and from any web server and cannot load what a hostile string might name.
enum SitePage {
    static func html(title: String, body: String, script: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>
        body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1a1a1a;background:#fff}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
        table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d4d4d4;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f0f2f5}.muted{color:#666}.valid{background:#e6f4ea}.expired{background:#fde8e8}.not-yet-valid{background:#fff4d6}
        .level{font-weight:600}code{background:#f4f4f4;padding:1px 4px}.filters label{margin-right:14px}
        a{color:#1a56a8}
        </style></head>
        <body>
        \(body)
        \(script.isEmpty ? "" : "<script>\n\(script)\n</script>")
        </body></html>

        """
    }

    static func escape(_ text: String?) -> String { text.map { Markup.escape($0) } ?? "–" }

    /// A file name for an id: letters, digits, `.`, `_`, `-` kept, anything else `_`, with a
    /// digest suffix when something was replaced so two ids never share a page.
    static func slug(_ id: String) -> String {
        let safe = String(
            id.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            }
        )
        let clean = safe == id && !id.hasPrefix(".") && !id.isEmpty
        return clean ? safe : "_" + safe.prefix(40) + "-" + Digest.sha256Hex(id).prefix(12)
    }

    /// Filters rows of the index by the selects' values (each row carries data-vendor, data-kind,
    /// data-os and data-levels); empty selects match everything. A link may preset them:
    /// `index.html#vendor=X&levels=compatible`.
    static let filterScript = """
        (function(){
          var selects = document.querySelectorAll('select[data-filter]');
          location.hash.replace(/^#/, '').split('&').forEach(function(pair){
            var parts = pair.split('='); if (parts.length !== 2) return;
            var select = document.querySelector('select[data-filter="' + decodeURIComponent(parts[0]).replace(/[^a-z]/g, '') + '"]');
            if (select) select.value = decodeURIComponent(parts[1]);
          });
          function apply(){
            var shown = 0, rows = document.querySelectorAll('tr[data-target]');
            rows.forEach(function(row){
              var ok = true;
              selects.forEach(function(select){
                var want = select.value, key = select.getAttribute('data-filter');
                if (!want) return;
                var have = row.getAttribute('data-' + key) || '';
                if (key === 'levels') { if ((' ' + have + ' ').indexOf(' ' + want + ' ') < 0) ok = false; }
                else if (have !== want) ok = false;
              });
              row.hidden = !ok; if (ok) shown++;
            });
            var count = document.getElementById('shown'); if (count) count.textContent = String(shown);
          }
          selects.forEach(function(select){ select.addEventListener('change', apply); });
          apply();
        })();
        """
}
