//! makrx.org, the gateway of the MakrX network: its makerspaces, their machines live.

pub mod app;
pub mod components;
pub mod hooks;
pub mod pages;
pub mod services;
pub mod types;

pub use app::{App, Route, Shell};
