//! Where a browser goes after signing in: a path of our own origin, never another site.

/// A local path to return to after sign-in (`/spaces/demo?tab=machines`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnTo(String);

impl ReturnTo {
    /// `requested` when it is a path on this origin; `/` for anything else (another site, a
    /// scheme, a protocol-relative `//host`, backslashes that browsers read as slashes, and
    /// anything not percent-encoded as a browser's `location` is, which no header could carry).
    pub fn parse(requested: Option<&str>) -> Self {
        match requested {
            Some(path) if is_local_path(path) => Self(path.to_owned()),
            _ => Self::home(),
        }
    }

    /// The app's front page.
    pub fn home() -> Self {
        Self("/".into())
    }

    /// The path, to redirect to.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_local_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.contains('\\')
        && path.chars().all(|c| c.is_ascii_graphic())
        && path.len() <= 2048
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_path_is_kept_with_its_query() {
        let kept = ReturnTo::parse(Some("/spaces/demo?tab=machines#top"));
        assert_eq!(kept.as_str(), "/spaces/demo?tab=machines#top");
        assert_eq!(
            ReturnTo::parse(Some("/spaces/caf%C3%A9")).as_str(),
            "/spaces/caf%C3%A9"
        );
        assert_eq!(ReturnTo::parse(Some("/")).as_str(), "/");
    }

    #[test]
    fn anything_that_could_leave_the_site_becomes_the_front_page() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "spaces/demo",
            "",
            "/ok\r\nSet-Cookie: x=1",
            "/café",
            "/a b",
        ] {
            assert_eq!(ReturnTo::parse(Some(bad)), ReturnTo::home(), "{bad:?}");
        }
        assert_eq!(ReturnTo::parse(None), ReturnTo::home());
    }
}
