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
    minor_units(text, 2)
}

/// A price typed in `currency` (`1299`, `1299.5`) in its minor units, as many digits after the
/// point as the currency has; none for anything that is no amount in it.
pub fn to_minor_in(text: &str, currency: &str) -> Option<i64> {
    minor_units(text, digits(currency))
}

fn minor_units(text: &str, digits: u32) -> Option<i64> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > digits as usize
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
    let fraction: i64 = match digits {
        0 => 0,
        _ => format!("{fraction:0<width$}", width = digits as usize)
            .parse()
            .ok()?,
    };
    whole.checked_mul(10_i64.pow(digits))?.checked_add(fraction)
}

/// `minor` units of `currency` as staff type a price: `1299.50`, `500` (no symbol, no
/// thousands), for a field they may change.
pub fn typed_price(minor: i64, currency: &str) -> String {
    let digits = digits(currency);
    let scale = 10_i64.pow(digits);
    match digits {
        0 => minor.to_string(),
        _ => format!(
            "{}.{:0width$}",
            minor / scale,
            minor % scale,
            width = digits as usize
        ),
    }
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
    fn prices_typed_in_a_currency_take_its_digits_and_read_back() {
        assert_eq!(to_minor_in("1299.5", "INR"), Some(129_950));
        assert_eq!(to_minor_in("500", "JPY"), Some(500));
        assert_eq!(to_minor_in("5.5", "JPY"), None);
        assert_eq!(to_minor_in("1.234", "KWD"), Some(1_234));
        assert_eq!(to_minor_in("1.2345", "KWD"), None);
        for (minor, currency) in [(129_950, "INR"), (5, "EUR"), (500, "JPY"), (1_234, "KWD")] {
            let typed = typed_price(minor, currency);
            assert_eq!(to_minor_in(&typed, currency), Some(minor), "{typed}");
        }
        assert_eq!(typed_price(129_950, "INR"), "1299.50");
    }

    #[test]
    fn a_range_of_one_price_is_that_price() {
        assert_eq!(price_range(2_499, 2_499, "INR"), "₹24.99");
        assert_eq!(price_range(2_499, 3_999, "INR"), "₹24.99 – ₹39.99");
    }
}
