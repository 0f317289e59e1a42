//! A small builder for one-file HTML reports: inline CSS, inline SVG charts, no scripts,
//! no network. Every command's `report.html` is built with it.

use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; color: #1e1e1e;
  max-width: 1040px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
p.lead { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6em 0 1em; max-width: 100%; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #e4e4e4; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f4f4f4; font-weight: 600; vertical-align: bottom; overflow-wrap: break-word; }
td { white-space: nowrap; }
td:first-child { white-space: normal; }
td.text { white-space: normal; overflow-wrap: break-word; }
td.text, th.text { text-align: left; }
tr.has-detail td { border-bottom: none; }
tr.detail td { white-space: normal; text-align: left; color: #555; font-size: 0.9em;
  padding: 0 0.6em 0.45em 1.6em; }
div.table { overflow-x: auto; }
pre { background: #f6f6f6; border: 1px solid #e4e4e4; padding: 0.8em; overflow-x: auto;
  font-size: 0.9em; }
pre.command { white-space: pre-wrap; word-break: break-all; }
figure { margin: 1.2em 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 0.9em; }
.note { color: #666; font-size: 0.9em; }
";

/// An HTML page under construction.
#[derive(Clone, Debug)]
pub struct Page {
    title: String,
    body: String,
}

impl Page {
    pub fn new(title: &str) -> Page {
        Page {
            title: title.to_string(),
            body: String::new(),
        }
    }

    pub fn heading(&mut self, text: &str) -> &mut Self {
        let _ = writeln!(self.body, "<h1>{}</h1>", escape(text));
        self
    }

    pub fn section(&mut self, text: &str) -> &mut Self {
        let _ = writeln!(self.body, "<h2>{}</h2>", escape(text));
        self
    }

    pub fn lead(&mut self, text: &str) -> &mut Self {
        let _ = writeln!(self.body, "<p class=\"lead\">{}</p>", escape(text));
        self
    }

    pub fn paragraph(&mut self, text: &str) -> &mut Self {
        let _ = writeln!(self.body, "<p>{}</p>", escape(text));
        self
    }

    pub fn note(&mut self, text: &str) -> &mut Self {
        let _ = writeln!(self.body, "<p class=\"note\">{}</p>", escape(text));
        self
    }

    /// A table; cells are text. The first column is left-aligned, the rest right-aligned
    /// (numbers), except columns listed in `text_columns`.
    pub fn table(
        &mut self,
        headers: &[&str],
        rows: &[Vec<String>],
        text_columns: &[usize],
    ) -> &mut Self {
        self.table_start(headers, text_columns);
        for row in rows {
            self.table_row(row, text_columns, "");
        }
        self.body.push_str("</tbody>\n</table></div>\n");
        self
    }

    /// `table`, with a line of prose under each row that has one (`details[i]` for row
    /// `i`, empty for none), labelled `label`: long text such as why runs missed reads
    /// across the page instead of squeezing a column.
    pub fn table_with_details(
        &mut self,
        headers: &[&str],
        rows: &[Vec<String>],
        text_columns: &[usize],
        label: &str,
        details: &[String],
    ) -> &mut Self {
        debug_assert_eq!(rows.len(), details.len());
        self.table_start(headers, text_columns);
        for (row, detail) in rows.iter().zip(details) {
            if detail.is_empty() {
                self.table_row(row, text_columns, "");
            } else {
                self.table_row(row, text_columns, " class=\"has-detail\"");
                let _ = writeln!(
                    self.body,
                    "<tr class=\"detail\"><td colspan=\"{}\">{}: {}</td></tr>",
                    headers.len(),
                    escape(label),
                    escape(detail)
                );
            }
        }
        self.body.push_str("</tbody>\n</table></div>\n");
        self
    }

    fn table_start(&mut self, headers: &[&str], text_columns: &[usize]) {
        self.body.push_str("<div class=\"table\"><table>\n");
        if headers.iter().any(|h| !h.is_empty()) {
            self.body.push_str("<thead><tr>");
            for (i, header) in headers.iter().enumerate() {
                if i > 0 && text_columns.contains(&i) {
                    let _ = write!(self.body, "<th class=\"text\">{}</th>", escape(header));
                } else {
                    let _ = write!(self.body, "<th>{}</th>", escape(header));
                }
            }
            self.body.push_str("</tr></thead>\n");
        }
        self.body.push_str("<tbody>\n");
    }

    /// One row; `attributes` go inside its `<tr>` (empty, or starting with a space).
    fn table_row(&mut self, row: &[String], text_columns: &[usize], attributes: &str) {
        let _ = write!(self.body, "<tr{attributes}>");
        for (i, cell) in row.iter().enumerate() {
            if i > 0 && text_columns.contains(&i) {
                let _ = write!(self.body, "<td class=\"text\">{}</td>", escape(cell));
            } else {
                let _ = write!(self.body, "<td>{}</td>", escape(cell));
            }
        }
        self.body.push_str("</tr>\n");
    }

    /// Preformatted text: a command line, a TOML file.
    pub fn code(&mut self, text: &str) -> &mut Self {
        let _ = writeln!(self.body, "<pre>{}</pre>", escape(text.trim_end()));
        self
    }

    /// A command line to copy: wrapped, never cut off.
    pub fn command(&mut self, text: &str) -> &mut Self {
        let _ = writeln!(
            self.body,
            "<pre class=\"command\">{}</pre>",
            escape(text.trim_end())
        );
        self
    }

    /// A list of text items.
    pub fn list(&mut self, items: &[String]) -> &mut Self {
        self.body.push_str("<ul>\n");
        for item in items {
            let _ = writeln!(self.body, "<li>{}</li>", escape(item));
        }
        self.body.push_str("</ul>\n");
        self
    }

    /// An inline SVG chart (a document from [`super::charts::svg`]) with a caption.
    pub fn chart(&mut self, svg: &str, caption: Option<&str>) -> &mut Self {
        let svg = match svg.find("<svg") {
            Some(start) => &svg[start..],
            None => svg,
        };
        self.body.push_str("<figure>\n");
        self.body.push_str(svg.trim_end());
        self.body.push('\n');
        if let Some(caption) = caption {
            let _ = writeln!(self.body, "<figcaption>{}</figcaption>", escape(caption));
        }
        self.body.push_str("</figure>\n");
        self
    }

    /// The finished document.
    pub fn finish(&self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}\
             <p class=\"note\">Made by deploysim {}. This file is self-contained: no scripts, \
             no network.</p>\n</body>\n</html>\n",
            escape(&self.title),
            STYLE,
            self.body,
            env!("CARGO_PKG_VERSION")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_assembles() {
        let mut page = Page::new("a <b> & c");
        page.heading("x < y")
            .table(&["k", "v"], &[vec!["a&b".into(), "1".into()]], &[])
            .code("--set 'x=1'")
            .chart(
                "<?xml version=\"1.0\"?>\n<svg width=\"1\"></svg>\n",
                Some("cap"),
            );
        let html = page.finish();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>a &lt;b&gt; &amp; c</title>"));
        assert!(html.contains("<h1>x &lt; y</h1>"));
        assert!(html.contains("<td>a&amp;b</td>"));
        assert!(html.contains("--set &#39;x=1&#39;"));
        assert!(html.contains("<figure>\n<svg width=\"1\"></svg>\n<figcaption>cap"));
        assert!(!html.contains("<?xml"));
        assert!(!html.contains("<script") && !html.contains("http"));
    }
}
