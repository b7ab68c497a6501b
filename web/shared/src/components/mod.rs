//! Small components every app shows: a machine's status, whether the page is live.

mod live_indicator;
mod status_badge;

pub use live_indicator::{LiveIndicator, LiveIndicatorProps};
pub use status_badge::{StatusBadge, StatusBadgeProps};
