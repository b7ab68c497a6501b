//! Card payments in the page through Stripe.js: the library loaded once from where the store
//! says, its card field mounted where the page puts it, and a PaymentIntent confirmed with the
//! card typed there. The card's number goes to Stripe only, never through the store.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// Stripe.js's client for one publishable key.
    #[derive(Clone)]
    pub type StripeJs;

    #[wasm_bindgen(js_name = Stripe)]
    fn stripe_js(key: &str) -> StripeJs;

    #[wasm_bindgen(method)]
    fn elements(this: &StripeJs) -> Elements;

    #[wasm_bindgen(method, js_name = confirmCardPayment)]
    fn confirm_card_payment(this: &StripeJs, client_secret: &str, data: &JsValue) -> Promise;

    type Elements;

    #[wasm_bindgen(method)]
    fn create(this: &Elements, kind: &str) -> CardField;

    /// Stripe's card field: number, expiry and CVC.
    #[derive(Clone)]
    pub type CardField;

    #[wasm_bindgen(method)]
    fn mount(this: &CardField, host: &web_sys::Element);

    #[wasm_bindgen(method)]
    pub fn destroy(this: &CardField);
}

/// Stripe.js for `key`, loaded from `url` the first time a page asks, and a card field in
/// `host`.
pub async fn card_field(
    url: &str,
    key: &str,
    host: &web_sys::Element,
) -> Result<(StripeJs, CardField), String> {
    load(url).await?;
    let stripe = stripe_js(key);
    let card = stripe.elements().create("card");
    card.mount(host);
    Ok((stripe, card))
}

/// Confirms the PaymentIntent `client_secret` names with the card typed in `card`: `Ok` once
/// Stripe took the money, else Stripe's words for why not.
pub async fn pay(stripe: &StripeJs, card: &CardField, client_secret: &str) -> Result<(), String> {
    let method = Object::new();
    Reflect::set(&method, &"card".into(), card).map_err(said)?;
    let data = Object::new();
    Reflect::set(&data, &"payment_method".into(), &method).map_err(said)?;
    let answer = JsFuture::from(stripe.confirm_card_payment(client_secret, &data))
        .await
        .map_err(said)?;
    let error = Reflect::get(&answer, &"error".into()).map_err(said)?;
    if error.is_undefined() || error.is_null() {
        return Ok(());
    }
    Err(Reflect::get(&error, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| "the card payment did not go through".to_owned()))
}

/// Runs Stripe.js from `url` unless the page has it already.
async fn load(url: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    if Reflect::has(&window, &"Stripe".into()).unwrap_or(false) {
        return Ok(());
    }
    let document = window.document().ok_or("no document")?;
    let script: web_sys::HtmlScriptElement = document
        .create_element("script")
        .map_err(said)?
        .unchecked_into();
    script.set_src(url);
    let loaded = Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    document
        .head()
        .ok_or("no head")?
        .append_child(&script)
        .map_err(said)?;
    JsFuture::from(loaded)
        .await
        .map_err(|_| format!("Stripe.js could not be loaded from {url}"))?;
    Ok(())
}

/// A JavaScript failure in words.
fn said(error: JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            error
                .dyn_ref::<js_sys::Error>()
                .map(|error| error.message().into())
        })
        .unwrap_or_else(|| format!("{error:?}"))
}
