//! ASCII STL: `solid NAME`, then `facet normal .. outer loop vertex x y z (x3) endloop
//! endfacet` repeated, then `endsolid NAME`; several solids may follow one another.
//!
//! Keywords are matched without regard to case and normals are ignored (they are
//! recomputed from the vertices). The grammar is otherwise strict: a file cut short
//! must not pass for a smaller part.

use std::borrow::Cow;

use super::{Limits, StlFormat, Triangle, TriangleSoup, write};
use crate::error::QuoteError;

/// Drops a UTF-8 byte order mark, which some editors put in front of text.
pub(super) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Parses an ASCII STL into records in binary layout.
pub(super) fn parse(bytes: &[u8], limits: &Limits) -> Result<TriangleSoup<'static>, QuoteError> {
    let mut tokens = Tokens::new(strip_bom(bytes));
    let mut records = Vec::new();
    let mut count: u64 = 0;
    tokens.keyword(b"solid")?;
    loop {
        tokens.skip_line(); // the solid's name
        loop {
            let (line, word) = tokens.next_or("`facet` or `endsolid`")?;
            if word.eq_ignore_ascii_case(b"endsolid") {
                tokens.skip_line();
                break;
            }
            if !word.eq_ignore_ascii_case(b"facet") {
                return Err(unexpected(line, "`facet` or `endsolid`", word));
            }
            if count >= limits.triangle_cap() {
                return Err(QuoteError::TooManyTriangles {
                    count: count + 1,
                    limit: limits.triangle_cap(),
                });
            }
            let triangle = facet(&mut tokens, count)?;
            write::push_record(&mut records, &triangle);
            count += 1;
        }
        match tokens.next() {
            None => break,
            Some((_, word)) if word.eq_ignore_ascii_case(b"solid") => continue,
            Some((line, word)) => {
                return Err(unexpected(line, "`solid` or the end of the file", word));
            }
        }
    }
    if count == 0 {
        return Err(QuoteError::EmptyMesh);
    }
    Ok(TriangleSoup::from_records(
        Cow::Owned(records),
        StlFormat::Ascii,
    ))
}

/// The rest of a facet, after its `facet` keyword.
fn facet(tokens: &mut Tokens<'_>, index: u64) -> Result<Triangle, QuoteError> {
    tokens.keyword(b"normal")?;
    for _ in 0..3 {
        // Normals are recomputed, and some exporters write `nan` here: skip them.
        tokens.next_or("a normal component")?;
    }
    tokens.keyword(b"outer")?;
    tokens.keyword(b"loop")?;
    let mut triangle = [[0.0f32; 3]; 3];
    for vertex in &mut triangle {
        tokens.keyword(b"vertex")?;
        for coordinate in vertex.iter_mut() {
            *coordinate = tokens.number(index)?;
        }
    }
    tokens.keyword(b"endloop")?;
    tokens.keyword(b"endfacet")?;
    Ok(triangle)
}

fn unexpected(line: u64, expected: &str, found: &[u8]) -> QuoteError {
    QuoteError::ascii(
        line,
        format!("expected {expected}, found `{}`", shown(found)),
    )
}

/// A token as it may be shown in an error: lossy UTF-8, at most 40 characters.
fn shown(token: &[u8]) -> String {
    let text = String::from_utf8_lossy(token);
    let mut out: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Whitespace-separated words with their one-based line numbers.
struct Tokens<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> Tokens<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            pos: 0,
            line: 1,
        }
    }

    fn next(&mut self) -> Option<(u64, &'a [u8])> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !b.is_ascii_whitespace() {
                break;
            }
            if b == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
        let start = self.pos;
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| !b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| (self.line, &self.bytes[start..self.pos]))
    }

    fn next_or(&mut self, expected: &str) -> Result<(u64, &'a [u8]), QuoteError> {
        match self.next() {
            Some(token) => Ok(token),
            None => Err(QuoteError::ascii(
                self.line,
                format!("the file ends where {expected} was expected (truncated?)"),
            )),
        }
    }

    fn keyword(&mut self, keyword: &[u8]) -> Result<(), QuoteError> {
        let expected = format!("`{}`", shown(keyword));
        let (line, word) = self.next_or(&expected)?;
        if word.eq_ignore_ascii_case(keyword) {
            Ok(())
        } else {
            Err(unexpected(line, &expected, word))
        }
    }

    fn number(&mut self, triangle: u64) -> Result<f32, QuoteError> {
        let (line, word) = self.next_or("a coordinate")?;
        let value: f32 = std::str::from_utf8(word)
            .ok()
            .and_then(|text| text.parse().ok())
            .ok_or_else(|| unexpected(line, "a number", word))?;
        if value.is_finite() {
            Ok(value)
        } else {
            Err(QuoteError::NonFinite { triangle })
        }
    }

    /// Skips to the start of the next line (a solid's name may hold any words).
    fn skip_line(&mut self) {
        match self.bytes[self.pos..].iter().position(|&b| b == b'\n') {
            Some(offset) => {
                self.pos += offset + 1;
                self.line += 1;
            }
            None => self.pos = self.bytes.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Limits, TriangleSoup, to_ascii_stl};
    use super::*;
    use crate::shapes;

    fn parse(text: &str) -> Result<TriangleSoup<'_>, QuoteError> {
        TriangleSoup::parse(text.as_bytes(), &Limits::default())
    }

    const ONE_FACET: &str = "solid one\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n   vertex 1 0 0\n   vertex 0 1 0\n  endloop\n endfacet\nendsolid one\n";

    #[test]
    fn a_single_facet_is_read() {
        let soup = parse(ONE_FACET).expect("parses");
        assert_eq!(soup.len(), 1);
        assert_eq!(
            soup.triangles().next(),
            Some([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
        );
    }

    #[test]
    fn keywords_are_matched_regardless_of_case_and_names_may_have_spaces() {
        let text = ONE_FACET
            .replace("solid one", "SOLID my part v2")
            .replace("vertex", "VERTEX")
            .replace("endsolid one", "ENDSOLID my part v2");
        assert_eq!(parse(&text).expect("parses").len(), 1);
    }

    #[test]
    fn crlf_line_endings_and_a_byte_order_mark_are_accepted() {
        let text = format!("\u{feff}{}", ONE_FACET.replace('\n', "\r\n"));
        assert_eq!(parse(&text).expect("parses").len(), 1);
    }

    #[test]
    fn several_solids_in_one_file_are_read() {
        let text = format!("{ONE_FACET}{ONE_FACET}");
        assert_eq!(parse(&text).expect("parses").len(), 2);
    }

    #[test]
    fn nan_normals_are_ignored() {
        let text = ONE_FACET.replace("normal 0 0 1", "normal -nan -nan -nan");
        assert_eq!(parse(&text).expect("parses").len(), 1);
    }

    #[test]
    fn a_file_cut_before_endsolid_is_truncated() {
        let cut = &ONE_FACET[..ONE_FACET.find("endsolid").expect("has endsolid")];
        let err = parse(cut).expect_err("truncated");
        assert!(err.to_string().contains("truncated"), "{err}");
    }

    #[test]
    fn a_file_cut_inside_a_facet_is_truncated() {
        let cut = &ONE_FACET[..ONE_FACET.find("endloop").expect("has endloop")];
        let err = parse(cut).expect_err("truncated");
        assert!(matches!(err, QuoteError::Ascii { line: 7, .. }), "{err}");
    }

    #[test]
    fn nan_and_infinite_vertices_are_refused() {
        for bad in ["nan", "inf", "-infinity", "1e39"] {
            let text = ONE_FACET.replace("vertex 1 0 0", &format!("vertex 1 {bad} 0"));
            let err = parse(&text).expect_err("non-finite");
            assert!(
                matches!(err, QuoteError::NonFinite { triangle: 0 }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn a_word_where_a_number_belongs_names_the_line() {
        let text = ONE_FACET.replace("vertex 0 1 0", "vertex 0 one 0");
        let err = parse(&text).expect_err("bad number");
        assert!(matches!(err, QuoteError::Ascii { line: 6, .. }), "{err}");
        assert!(err.to_string().contains("`one`"), "{err}");
    }

    #[test]
    fn a_polygon_with_four_vertices_is_refused() {
        let text = ONE_FACET.replace("endloop", "vertex 1 1 0\n  endloop");
        assert!(matches!(parse(&text), Err(QuoteError::Ascii { .. })));
    }

    #[test]
    fn a_solid_with_no_facets_is_an_empty_mesh() {
        assert!(matches!(
            parse("solid empty\nendsolid empty\n"),
            Err(QuoteError::EmptyMesh)
        ));
    }

    #[test]
    fn text_after_endsolid_is_refused() {
        let text = format!("{ONE_FACET}garbage\n");
        assert!(matches!(parse(&text), Err(QuoteError::Ascii { .. })));
    }

    #[test]
    fn solid_followed_by_prose_is_refused_with_the_word_found() {
        let err = parse("solid state physics is fun\nreally it is\n").expect_err("prose");
        assert!(err.to_string().contains("`really`"), "{err}");
    }

    #[test]
    fn the_triangle_limit_is_enforced_while_reading() {
        let cube = to_ascii_stl("c", &shapes::cuboid([0.0; 3], [1.0; 3]));
        let limits = Limits {
            max_triangles: 5,
            ..Limits::default()
        };
        assert!(matches!(
            TriangleSoup::parse(&cube, &limits),
            Err(QuoteError::TooManyTriangles { count: 6, limit: 5 })
        ));
    }

    #[test]
    fn error_text_shows_at_most_forty_characters_of_a_token() {
        let long = "x".repeat(1000);
        let err = parse(&format!("solid a\n{long}\n")).expect_err("bad");
        assert!(err.to_string().len() < 200, "{err}");
    }
}
