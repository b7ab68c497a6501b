//! Sending a file straight to object storage with a presigned URL, reporting how far it has got
//! as it goes: through XMLHttpRequest, since fetch reports no upload progress.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{File, ProgressEvent, XmlHttpRequest};
use yew::Callback;

/// How far an upload has got, in bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub sent: f64,
    pub total: f64,
}

impl Progress {
    /// How far, from 0 to 100.
    pub fn percent(self) -> u32 {
        if self.total <= 0.0 {
            return 0;
        }
        ((self.sent / self.total) * 100.0).round().clamp(0.0, 100.0) as u32
    }
}

/// PUTs `file` to `url` as `content_type` (the type its upload URL was made for, whatever type
/// the browser guesses for the file), calling `on_progress` as bytes go; answers why it failed,
/// in words, when it did.
pub async fn put_file(
    url: &str,
    file: &File,
    content_type: &str,
    on_progress: Callback<Progress>,
) -> Result<(), String> {
    let cannot = |_| "this browser could not send the file".to_owned();
    let request = XmlHttpRequest::new().map_err(cannot)?;
    request.open("PUT", url).map_err(cannot)?;
    request
        .set_request_header("content-type", content_type)
        .map_err(cannot)?;
    let upload = request.upload().map_err(cannot)?;
    let _progress = EventListener::new(&upload, "progress", move |event| {
        if let Some(event) = event.dyn_ref::<ProgressEvent>() {
            on_progress.emit(Progress {
                sent: event.loaded(),
                total: event.total(),
            });
        }
    });
    let (done, finished) = oneshot::channel::<bool>();
    let done = Rc::new(RefCell::new(Some(done)));
    let ended = |arrived: bool| {
        let done = done.clone();
        move |_: &web_sys::Event| {
            if let Some(done) = done.borrow_mut().take() {
                let _ = done.send(arrived);
            }
        }
    };
    let _load = EventListener::new(&request, "load", ended(true));
    let _error = EventListener::new(&request, "error", ended(false));
    let _abort = EventListener::new(&request, "abort", ended(false));
    request.send_with_opt_blob(Some(file)).map_err(cannot)?;
    if !finished.await.unwrap_or(false) {
        return Err("the file could not be sent: the connection to object storage failed".into());
    }
    match request.status() {
        Ok(200..=299) => Ok(()),
        Ok(403) => Err("object storage refused the file: its upload URL may have expired".into()),
        Ok(status) => Err(format!("object storage answered {status}")),
        Err(_) => Err("object storage's answer could not be read".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_a_whole_percentage_and_nothing_without_a_total() {
        let progress = |sent, total| Progress { sent, total }.percent();
        assert_eq!(progress(0.0, 2048.0), 0);
        assert_eq!(progress(1023.0, 2048.0), 50);
        assert_eq!(progress(2048.0, 2048.0), 100);
        assert_eq!(progress(10.0, 0.0), 0);
    }
}
