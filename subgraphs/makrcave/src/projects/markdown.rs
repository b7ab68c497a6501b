//! A project's description, written in Markdown, as HTML a page may show as it is: whatever
//! HTML the text holds is shown as text, and links and images go only to web addresses
//! (`http`, `https`, `mailto`, or within the site), never to `javascript:` and the like.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// `markdown` rendered safely: tables, strikethrough and task lists as GitHub writes them.
pub fn to_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Raw HTML is shown, not obeyed.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe(dest_url),
            title,
            id,
        }),
        event => event,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// `url` if it goes to a web address or within the site; `#` otherwise.
fn safe(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    // A scheme is what comes before the first `:`, if no `/`, `?` or `#` comes first.
    let scheme = lower
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|scheme| !scheme.contains(['/', '?', '#']));
    match scheme {
        None | Some("http" | "https" | "mailto") => url,
        Some(_) => CowStr::Borrowed("#"),
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_is_rendered() {
        assert_eq!(
            to_html("# Lamp\n\nA **desk** lamp: [plans](https://example.org/plans.pdf)."),
            "<h1>Lamp</h1>\n<p>A <strong>desk</strong> lamp: \
             <a href=\"https://example.org/plans.pdf\">plans</a>.</p>\n"
        );
        assert!(to_html("| a | b |\n|---|---|\n| 1 | 2 |").contains("<table>"));
        assert!(to_html("- [x] cut the base").contains("checkbox"));
    }

    #[test]
    fn html_in_the_text_is_shown_not_obeyed() {
        let html = to_html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil\"></iframe>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn links_and_images_go_only_to_web_addresses() {
        for evil in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox",
        ] {
            let link = to_html(&format!("[x]({evil})"));
            assert!(link.contains("href=\"#\""), "{evil}: {link}");
            let image = to_html(&format!("![x]({evil})"));
            assert!(image.contains("src=\"#\""), "{evil}: {image}");
        }
        for fine in [
            "https://makrx.org",
            "http://example.org/a:b",
            "mailto:ada@example.org",
            "/makrcave/inventory/1",
            "#steps",
            "plans.pdf",
        ] {
            let link = to_html(&format!("[x]({fine})"));
            assert!(link.contains(&format!("href=\"{fine}\"")), "{fine}: {link}");
        }
    }
}
