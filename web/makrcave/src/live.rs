//! Pages that follow a feed, and what depends on the time of day: the shared hooks.

pub use makrx_web::hooks::{use_now, use_reload_on_change};
