//! For the apps' tests (feature `test-support`): rendering components natively with Yew's
//! server renderer, under a router as the app renders them. Effects do not run on the server,
//! so nothing rendered here fetches.

use yew::LocalServerRenderer;
use yew::prelude::*;
use yew_router::history::{AnyHistory, History, MemoryHistory};
use yew_router::prelude::*;

#[derive(Properties, PartialEq)]
struct HarnessProps {
    path: &'static str,
    content: Html,
}

/// Renders `content` under a router at `path` (which may have a query), as the app does.
#[function_component]
fn Harness(props: &HarnessProps) -> Html {
    let history = MemoryHistory::new();
    match props.path.split_once('?') {
        Some((path, query)) => {
            let pairs: Vec<(&str, &str)> = query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .collect();
            history
                .replace_with_query(path, pairs)
                .expect("a query of name=value pairs");
        }
        None => history.replace(props.path),
    }
    let history = AnyHistory::from(history);
    html! { <Router history={history}>{ props.content.clone() }</Router> }
}

/// Renders `content` at `path`.
pub async fn render_at(path: &'static str, content: Html) -> String {
    LocalServerRenderer::<Harness>::with_props(HarnessProps { path, content })
        .hydratable(false)
        .render()
        .await
}

/// Renders `content` at `/`.
pub async fn render(content: Html) -> String {
    render_at("/", content).await
}
