//! Warnings for whoever opens the browser's developer tools.

/// Logs a warning to the browser console (standard error when rendered natively, in tests).
pub(crate) fn warn(message: &str) {
    #[cfg(target_arch = "wasm32")]
    web_sys::console::warn_1(&message.into());
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("warning: {message}");
}
