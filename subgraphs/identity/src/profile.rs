//! A profile edit, parsed once at the edge: each field either valid or named in the error.

use makrx_service::{ApiError, FieldError};

/// The longest display name, in characters.
const MAX_DISPLAY_NAME: usize = 80;
/// The longest bio, in characters.
const MAX_BIO: usize = 2_000;
/// The longest avatar URL, in bytes.
const MAX_AVATAR_URL: usize = 2_048;

/// A display name: trimmed, not empty, at most 80 characters.
#[derive(Debug, PartialEq, Eq)]
pub struct DisplayName(String);

/// A bio: at most 2,000 characters; empty means none.
#[derive(Debug, PartialEq, Eq)]
pub struct Bio(Option<String>);

/// An avatar picture's address: an `http(s)` URL, or none.
#[derive(Debug, PartialEq, Eq)]
pub struct AvatarUrl(Option<String>);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        match name.chars().count() {
            0 => Err("must not be empty".into()),
            n if n > MAX_DISPLAY_NAME => {
                Err(format!("must be at most {MAX_DISPLAY_NAME} characters"))
            }
            _ if name.chars().any(char::is_control) => {
                Err("must not contain control characters".into())
            }
            _ => Ok(Self(name.into())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Bio {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let bio = raw.trim();
        if bio.chars().count() > MAX_BIO {
            return Err(format!("must be at most {MAX_BIO} characters"));
        }
        Ok(Self((!bio.is_empty()).then(|| bio.into())))
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl AvatarUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = raw.trim();
        if url.is_empty() {
            return Ok(Self(None));
        }
        if url.len() > MAX_AVATAR_URL {
            return Err(format!("must be at most {MAX_AVATAR_URL} characters"));
        }
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or("must start with https:// or http://")?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must be a web address such as https://example.org/me.png".into());
        }
        Ok(Self(Some(url.into())))
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// The changes a person asked for; a field left out keeps its value.
#[derive(Debug, Default)]
pub struct ProfileEdit {
    pub display_name: Option<DisplayName>,
    pub bio: Option<Bio>,
    pub avatar_url: Option<AvatarUrl>,
}

impl ProfileEdit {
    /// Parses every field, reporting all the invalid ones at once.
    pub fn parse(
        display_name: Option<&str>,
        bio: Option<&str>,
        avatar_url: Option<&str>,
    ) -> Result<Self, ApiError> {
        let mut problems = Vec::new();
        let edit = Self {
            display_name: checked(
                &mut problems,
                "displayName",
                display_name.map(DisplayName::parse),
            ),
            bio: checked(&mut problems, "bio", bio.map(Bio::parse)),
            avatar_url: checked(&mut problems, "avatarUrl", avatar_url.map(AvatarUrl::parse)),
        };
        if problems.is_empty() {
            Ok(edit)
        } else {
            Err(ApiError::Validation(problems))
        }
    }
}

/// The parsed value of a field that was given, noting the problem when it is invalid.
fn checked<T>(
    problems: &mut Vec<FieldError>,
    field: &str,
    parsed: Option<Result<T, String>>,
) -> Option<T> {
    match parsed? {
        Ok(value) => Some(value),
        Err(message) => {
            problems.push(FieldError {
                field: field.into(),
                message,
            });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_display_name_is_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Ada  ").map(|n| n.0),
            Ok("Ada".to_string())
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(81)).is_err());
        assert!(
            DisplayName::parse(&"é".repeat(80)).is_ok(),
            "characters, not bytes"
        );
    }

    #[test]
    fn an_avatar_url_must_be_a_web_address() {
        assert!(AvatarUrl::parse("https://example.org/a.png").is_ok());
        assert_eq!(AvatarUrl::parse("").map(|u| u.0), Ok(None));
        assert!(AvatarUrl::parse("javascript:alert(1)").is_err());
        assert!(AvatarUrl::parse("https:///nohost").is_err());
        assert!(AvatarUrl::parse("https://a b.org").is_err());
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let Err(ApiError::Validation(problems)) =
            ProfileEdit::parse(Some(""), Some("ok"), Some("ftp://x"))
        else {
            panic!("expected a validation error");
        };
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["displayName", "avatarUrl"]);
    }
}
