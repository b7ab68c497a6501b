//! Words as the pages show them.

/// `text` with its first letter a capital: an API message that starts mid-sentence
/// (`booking the Laser needs …`) as a sentence of its own.
pub fn capitalised(text: &str) -> String {
    let mut letters = text.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}
