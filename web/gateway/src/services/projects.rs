//! Public projects: the community hub's pages, and what a project's card is read from.

use graphql_client::GraphQLQuery;
use makrx_web::graphql::{RequestError, request};

use crate::types::{Day, Hub, ProjectSummary};

/// How many projects the hub loads at a time.
pub const PAGE_SIZE: i64 = 24;

/// How many characters of a description a card shows at most.
const EXCERPT_CHARS: usize = 160;

/// The API's timestamps: RFC 3339 text.
type DateTime = String;

/// A page of the community hub.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "../../schema/supergraph.graphql",
    query_path = "graphql/public_projects.graphql",
    response_derives = "Debug"
)]
struct PublicProjects;

/// The public projects after `after` (from the newest when `None`): all of them, or those
/// whose title, description or tags hold `search` when it is not blank.
pub async fn public_projects(search: String, after: Option<String>) -> Result<Hub, RequestError> {
    read_page(request::<PublicProjects>(variables(&search, after)).await?)
}

fn variables(search: &str, after: Option<String>) -> public_projects::Variables {
    let search = search.trim();
    public_projects::Variables {
        search: (!search.is_empty()).then(|| search.to_owned()),
        first: Some(PAGE_SIZE),
        after,
    }
}

fn read_page(data: public_projects::ResponseData) -> Result<Hub, RequestError> {
    let connection = data.public_projects;
    let projects = connection
        .nodes
        .into_iter()
        .map(|project| project_summary!(project))
        .collect::<Result<_, RequestError>>()?;
    Ok(Hub {
        projects,
        next_page: connection
            .page_info
            .has_next_page
            .then_some(connection.page_info.end_cursor)
            .flatten(),
    })
}

/// The day an API timestamp falls on, as the API wrote it.
pub(super) fn day(timestamp: &str) -> Result<Day, RequestError> {
    Day::parse(timestamp)
        .ok_or_else(|| RequestError::Decode(format!("“{timestamp}” is not a timestamp")))
}

/// The first paragraph of a description, from the HTML the API renders it to, as plain text
/// cut at a word so that it fits a card. The API's HTML rather than the Markdown: links,
/// emphasis and code are already told apart from the words there.
pub(super) fn excerpt(html: &str) -> String {
    let Some((_, rest)) = html.split_once("<p>") else {
        return String::new();
    };
    let paragraph = rest
        .split_once("</p>")
        .map_or(rest, |(paragraph, _)| paragraph);
    let mut text = String::with_capacity(paragraph.len());
    let mut in_tag = false;
    for c in paragraph.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    // What the API escapes in text; `&amp;` last, so that `&amp;lt;` stays `&lt;`.
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    shortened(&text)
}

/// `text` with its spaces tidied, cut after the last word that fits in [`EXCERPT_CHARS`].
fn shortened(text: &str) -> String {
    let mut short = String::new();
    for word in text.split_whitespace() {
        let separator = usize::from(!short.is_empty());
        if short.chars().count() + separator + word.chars().count() > EXCERPT_CHARS {
            if short.is_empty() {
                short.extend(word.chars().take(EXCERPT_CHARS));
            }
            short.push('…');
            break;
        }
        if separator == 1 {
            short.push(' ');
        }
        short.push_str(word);
    }
    short
}

#[cfg(test)]
mod tests {
    use makrx_web::graphql::decode;

    use super::*;

    #[test]
    fn a_blank_search_asks_for_every_project_and_a_search_is_sent_trimmed() {
        let all = variables("  ", None);
        let lamps = variables(" desk lamp ", Some("cursor-7".into()));

        assert_eq!(all.search, None);
        assert_eq!(all.after, None);
        assert_eq!(lamps.search.as_deref(), Some("desk lamp"));
        assert_eq!(lamps.after.as_deref(), Some("cursor-7"));
        assert_eq!(lamps.first, Some(PAGE_SIZE));
    }

    #[test]
    fn a_page_of_the_hub_is_read_into_cards_with_the_next_cursor() {
        let answer = r#"{"data": {"publicProjects": {
            "pageInfo": {"hasNextPage": true, "endCursor": "cursor-lamp"},
            "nodes": [{"id": "lamp", "title": "Desk lamp",
                "descriptionHtml": "<h1>Lamp</h1>\n<p>A <strong>bent</strong> plywood lamp.</p>\n",
                "tags": ["plywood", "lighting"], "createdAt": "2026-03-07T10:00:00.5Z",
                "owner": {"id": "user-mel", "displayName": "Mel Member"}}]}}}"#;

        let page = read_page(decode(200, answer).expect("an answer")).expect("a page");

        assert_eq!(page.next_page.as_deref(), Some("cursor-lamp"));
        let lamp = &page.projects[0];
        assert_eq!(lamp.title, "Desk lamp");
        assert_eq!(lamp.excerpt, "A bent plywood lamp.");
        assert_eq!(lamp.tags, ["plywood", "lighting"]);
        assert_eq!(lamp.owner_name, "Mel Member");
        assert_eq!(lamp.created.label(), "7 Mar 2026");
    }

    #[test]
    fn the_last_page_has_no_next_cursor() {
        let answer = r#"{"data": {"publicProjects": {
            "pageInfo": {"hasNextPage": false, "endCursor": "cursor-last"}, "nodes": []}}}"#;

        let page = read_page(decode(200, answer).expect("an answer")).expect("a page");

        assert_eq!(page, Hub::default());
    }

    #[test]
    fn an_excerpt_is_the_first_paragraphs_words_without_markup() {
        let html = "<h2>Why</h2>\n<p>Cut on the <a href=\"https://example.org\">laser</a> &amp; \
                    glued: &lt;no screws&gt;, it's \"flat-pack\".</p>\n<p>Second.</p>";

        assert_eq!(
            excerpt(html),
            "Cut on the laser & glued: <no screws>, it's \"flat-pack\"."
        );
        assert_eq!(excerpt("<h1>Only a heading</h1>"), "");
        assert_eq!(excerpt(""), "");
    }

    #[test]
    fn a_long_paragraph_is_cut_after_a_whole_word() {
        let long = format!("<p>{}</p>", "plywood ".repeat(40));

        let short = excerpt(&long);

        assert!(short.ends_with("plywood…"), "{short}");
        assert!(short.chars().count() <= EXCERPT_CHARS + 1, "{short}");
    }
}
