//! Words as the pages show them.

/// `text` with its first letter a capital: an API message that starts mid-sentence
/// (`booking the Laser needs …`) as a sentence of its own, an attribute's name as a heading.
pub fn capitalised(text: &str) -> String {
    let mut letters = text.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_letter_becomes_a_capital() {
        assert_eq!(
            capitalised("booking the Laser needs"),
            "Booking the Laser needs"
        );
        assert_eq!(capitalised("écrou"), "Écrou");
        assert_eq!(capitalised(""), "");
    }
}
