//! makrcave.com, in the browser: members see their makerspaces and machines, and book a
//! machine's free time in its space's week.

pub mod app;
pub mod components;
pub mod live;
pub mod marks;
pub mod pages;
pub mod services;
pub mod time;
pub mod types;
pub mod words;

pub use app::{App, Route, Shell};
