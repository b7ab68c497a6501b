//! Amounts for people: the API's integer minor units (paise, cents) in the currency's own
//! digits and symbol.

/// How many digits a currency's minor unit has (ISO 4217): 2 unless it has none or three.
fn digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// The symbol written before an amount; the code and a space for currencies without one here.
fn symbol(currency: &str) -> String {
    match currency {
        "INR" => "₹".to_owned(),
        "USD" => "$".to_owned(),
        "EUR" => "€".to_owned(),
        "GBP" => "£".to_owned(),
        "JPY" => "¥".to_owned(),
        other => format!("{other} "),
    }
}

/// `minor` units of `currency` in words: `₹1,299.00`, `-€4.50`, `¥500`, `CHF 12.00`.
pub fn money(minor: i64, currency: &str) -> String {
    let digits = digits(currency);
    let scale = 10_u64.pow(digits);
    let whole = minor.unsigned_abs() / scale;
    let fraction = minor.unsigned_abs() % scale;
    let digits_of_whole = whole.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits_of_whole.chars().enumerate() {
        if index > 0 && (digits_of_whole.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if minor < 0 { "-" } else { "" };
    let symbol = symbol(currency);
    if digits == 0 {
        format!("{sign}{symbol}{grouped}")
    } else {
        format!(
            "{sign}{symbol}{grouped}.{fraction:0width$}",
            width = digits as usize
        )
    }
}

/// A product's price, or the range of its variants' prices.
pub fn price_range(min_minor: i64, max_minor: i64, currency: &str) -> String {
    if min_minor == max_minor {
        money(min_minor, currency)
    } else {
        format!(
            "{} – {}",
            money(min_minor, currency),
            money(max_minor, currency)
        )
    }
}

/// A price as a customer types it to filter by (`250`, `249.5`), in hundredths: the minor unit
/// of the store's currencies (INR, EUR, USD); none for anything that is no amount.
pub fn to_minor(text: &str) -> Option<i64> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 2
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_show_their_currency_digits_and_thousands() {
        assert_eq!(money(129_900, "INR"), "₹1,299.00");
        assert_eq!(money(5, "EUR"), "€0.05");
        assert_eq!(money(-450, "EUR"), "-€4.50");
        assert_eq!(money(123_456_789, "USD"), "$1,234,567.89");
        assert_eq!(money(500, "JPY"), "¥500");
        assert_eq!(money(1_234_500, "KWD"), "KWD 1,234.500");
        assert_eq!(money(1200, "CHF"), "CHF 12.00");
        assert_eq!(money(0, "INR"), "₹0.00");
    }

    #[test]
    fn typed_prices_become_hundredths_and_anything_else_nothing() {
        assert_eq!(to_minor("250"), Some(25_000));
        assert_eq!(to_minor(" 249.5 "), Some(24_950));
        assert_eq!(to_minor("0.05"), Some(5));
        assert_eq!(to_minor(".5"), Some(50));
        for bad in ["", ".", "abc", "-3", "1.234", "1,5", "99999999999999999999"] {
            assert_eq!(to_minor(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_range_of_one_price_is_that_price() {
        assert_eq!(price_range(2_499, 2_499, "INR"), "₹24.99");
        assert_eq!(price_range(2_499, 3_999, "INR"), "₹24.99 – ₹39.99");
    }
}
