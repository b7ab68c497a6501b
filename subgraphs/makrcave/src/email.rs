//! Email addresses, parsed once where they come in.

/// An email address as MakrCave keeps it: trimmed, lower-cased, of a plausible shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// The address in `raw`, or what is wrong with it.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err("must be an email address");
        };
        let labels_ok = domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                (1..=63).contains(&label.len())
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let local_ok = (1..=64).contains(&local.len())
            && !local.contains('@')
            && !local.chars().any(|c| c.is_whitespace() || c.is_control());
        if email.len() <= 254 && local_ok && labels_ok {
            Ok(Self(email))
        } else {
            Err("must be an email address")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Ada.Lovelace@Example.ORG ").map(|email| email.0),
            Ok("ada.lovelace@example.org".to_owned())
        );
    }

    #[test]
    fn things_that_are_not_email_addresses_are_refused() {
        for raw in [
            "",
            "ada",
            "@example.org",
            "ada@",
            "ada@localhost",
            "ada@example..org",
            "ada@-example.org",
            "ada lovelace@example.org",
            "ada@exa mple.org",
            "ada@@example.org",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?}");
        }
    }
}
