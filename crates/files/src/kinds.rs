//! The kinds of file MakrX keeps, and how each begins: an upload is checked against the type
//! it was declared as before anyone is shown it.

/// A kind of file: its content type and its name for people.
pub struct Kind {
    pub content_type: &'static str,
    pub name: &'static str,
}

/// Every kind MakrX knows.
pub const KINDS: [Kind; 9] = [
    Kind {
        content_type: "image/png",
        name: "PNG",
    },
    Kind {
        content_type: "image/jpeg",
        name: "JPEG",
    },
    Kind {
        content_type: "image/webp",
        name: "WebP",
    },
    Kind {
        content_type: "application/pdf",
        name: "PDF",
    },
    Kind {
        content_type: "application/zip",
        name: "ZIP",
    },
    Kind {
        content_type: "model/3mf",
        name: "3MF",
    },
    Kind {
        content_type: "model/stl",
        name: "STL",
    },
    Kind {
        content_type: "text/plain",
        name: "text",
    },
    Kind {
        content_type: "text/markdown",
        name: "Markdown",
    },
];

/// How many of a file's first bytes [`looks_like`] needs.
pub const START_BYTES: u64 = 84;

/// The name of `content_type` for people (`PNG`); `file` for a type MakrX does not know.
pub fn name_of(content_type: &str) -> &'static str {
    KINDS
        .iter()
        .find(|kind| kind.content_type == content_type)
        .map_or("file", |kind| kind.name)
}

/// Whether a file of `size` bytes beginning with `start` (its first [`START_BYTES`], or all
/// of it if shorter) is of `content_type`.
pub fn looks_like(content_type: &str, start: &[u8], size: u64) -> bool {
    match content_type {
        "image/png" => start.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => start.starts_with(&[0xff, 0xd8, 0xff]),
        "image/webp" => start.len() >= 12 && &start[..4] == b"RIFF" && &start[8..12] == b"WEBP",
        "application/pdf" => start.starts_with(b"%PDF-"),
        // A 3MF file is a ZIP archive.
        "application/zip" | "model/3mf" => start.starts_with(b"PK\x03\x04"),
        "model/stl" => is_stl(start, size),
        "text/plain" | "text/markdown" => text_start(start),
        _ => false,
    }
}

/// An ASCII STL (`solid` ...) or a binary one: 80 bytes of header, a triangle count, and 50
/// bytes a triangle, the size matching the count.
fn is_stl(start: &[u8], size: u64) -> bool {
    if start.len() >= 84 {
        let count = u32::from_le_bytes([start[80], start[81], start[82], start[83]]);
        if size == 84 + 50 * u64::from(count) {
            return true;
        }
    }
    start.trim_ascii_start().starts_with(b"solid")
}

/// Whether `start` reads as UTF-8 text, allowing a character cut off at its end.
fn text_start(start: &[u8]) -> bool {
    match std::str::from_utf8(start) {
        Ok(_) => !start.contains(&0),
        Err(error) => error.error_len().is_none() && !start.contains(&0),
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like;

    #[test]
    fn each_kind_is_told_by_how_it_begins() {
        assert!(looks_like(
            "image/png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            100
        ));
        assert!(looks_like("image/jpeg", &[0xff, 0xd8, 0xff, 0xe0], 100));
        assert!(looks_like("image/webp", b"RIFF\x24\0\0\0WEBPVP8 ", 100));
        assert!(!looks_like("image/png", &[0xff, 0xd8, 0xff, 0xe0], 100));
        assert!(!looks_like("image/webp", b"RIFF\x24\0\0\0WAVE", 100));
        assert!(!looks_like("image/webp", b"RIFF", 4));
        assert!(looks_like("application/pdf", b"%PDF-1.7\n", 100));
        assert!(looks_like("model/3mf", b"PK\x03\x04\x14\0", 100));
        assert!(looks_like("model/stl", b"solid lamp\n facet normal", 100));
        assert!(looks_like(
            "text/markdown",
            "# Lamp \u{2014} v2".as_bytes(),
            100
        ));
        assert!(!looks_like("text/plain", b"\x89PNG\r\n\x1a\n\0", 100));
        assert!(!looks_like("application/x-msdownload", b"MZ", 100));
        assert!(
            !looks_like("image/gif", b"GIF89a", 100),
            "a kind MakrX does not keep"
        );
        assert_eq!(super::name_of("image/jpeg"), "JPEG");
    }

    #[test]
    fn a_binary_stl_is_told_by_its_size_matching_its_triangle_count() {
        let mut start = vec![b' '; 80];
        start.extend(2u32.to_le_bytes());
        assert!(looks_like("model/stl", &start, 84 + 100));
        assert!(
            !looks_like("model/stl", &start, 84 + 99),
            "a truncated one is not"
        );
    }

    #[test]
    fn text_cut_off_within_a_character_is_still_text() {
        let dash = "lamp \u{2014}".as_bytes();
        assert!(looks_like("text/plain", &dash[..dash.len() - 1], 100));
    }
}
