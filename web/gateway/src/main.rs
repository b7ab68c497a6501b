//! Starts the gateway in the browser.

fn main() {
    makrx_web::start::<gateway::App>();
}
