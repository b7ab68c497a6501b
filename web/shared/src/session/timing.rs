//! When to renew an access token: a minute before it expires, or halfway through its life when
//! it lives for less than two; never in a tight loop.

use std::time::Duration;

/// How long before expiry the token is renewed.
pub(crate) const RENEW_BEFORE: Duration = Duration::from_secs(60);
/// A token this close to expiry is not sent: it could expire on the way.
pub(crate) const TOO_CLOSE: Duration = Duration::from_secs(5);
/// The shortest wait before asking again, whatever the token says.
const SOONEST: Duration = Duration::from_secs(5);
/// What a token whose expiry cannot be read is taken to live for.
const UNKNOWN_LIFETIME: Duration = Duration::from_secs(60);

/// How long a token issued at `issued_at` and expiring at `expires_at` lives (milliseconds since
/// the epoch, both by the server's clock so that a wrong clock in the browser does not matter;
/// `NaN` where a time could not be read).
pub(crate) fn lifetime(expires_at: f64, issued_at: f64) -> Duration {
    let millis = expires_at - issued_at;
    if millis.is_finite() {
        Duration::from_millis(millis.max(0.0) as u64)
    } else {
        UNKNOWN_LIFETIME
    }
}

/// How long to wait before renewing a token that lives for `lifetime` from now.
pub(crate) fn renewal_delay(lifetime: Duration) -> Duration {
    lifetime
        .saturating_sub(RENEW_BEFORE)
        .max(lifetime / 2)
        .max(SOONEST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_five_minute_token_is_renewed_a_minute_before_it_expires() {
        assert_eq!(
            renewal_delay(Duration::from_secs(300)),
            Duration::from_secs(240)
        );
    }

    #[test]
    fn a_short_lived_token_is_renewed_halfway_through_its_life() {
        assert_eq!(
            renewal_delay(Duration::from_secs(90)),
            Duration::from_secs(45)
        );
    }

    #[test]
    fn an_expired_token_is_not_renewed_in_a_tight_loop() {
        assert_eq!(renewal_delay(Duration::ZERO), SOONEST);
    }

    #[test]
    fn the_lifetime_is_measured_by_the_servers_clock() {
        let issued_at = 1_790_000_000_000.0;

        assert_eq!(
            lifetime(issued_at + 300_000.0, issued_at),
            Duration::from_secs(300)
        );
    }

    #[test]
    fn an_unreadable_expiry_is_taken_as_a_short_life() {
        assert_eq!(lifetime(f64::NAN, 1.0), UNKNOWN_LIFETIME);
    }

    #[test]
    fn an_expiry_in_the_past_is_no_life_at_all() {
        assert_eq!(lifetime(1_000.0, 2_000.0), Duration::ZERO);
    }
}
