//! The browser's WebAuthn, for passkeys. The server's options and the browser's credential travel
//! as the WebAuthn spec's JSON, which the browser itself converts (`parse…FromJSON`, `toJSON`), so
//! no binary juggling lives here.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function supported() {
  return typeof PublicKeyCredential === 'function'
    && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function';
}
export async function create(options) {
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(options).publicKey);
  const credential = await navigator.credentials.create({ publicKey });
  return JSON.stringify(credential.toJSON());
}
export async function get(options) {
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(options).publicKey);
  const credential = await navigator.credentials.get({ publicKey });
  return JSON.stringify(credential.toJSON());
}
"#)]
extern "C" {
    fn supported() -> bool;
    #[wasm_bindgen(catch)]
    async fn create(options: String) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn get(options: String) -> Result<JsValue, JsValue>;
}

/// Whether this browser can use passkeys the way the dashboard asks.
pub fn available() -> bool {
    supported()
}

/// Why a ceremony did not finish, in words: the user cancelled, or the browser refused.
fn refusal(error: JsValue) -> String {
    let name = js_sys::Reflect::get(&error, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" => "The passkey request was cancelled or timed out.".into(),
        "InvalidStateError" => "This passkey is registered already.".into(),
        "SecurityError" => "Passkeys need this page's address to be the one Keydesk is set up for (KEYDESK_PUBLIC_URL); in development, open it at localhost.".into(),
        _ => "The browser could not use a passkey here.".into(),
    }
}

async fn run(
    ceremony: impl std::future::Future<Output = Result<JsValue, JsValue>>,
) -> Result<serde_json::Value, String> {
    let text = ceremony.await.map_err(refusal)?.as_string().unwrap_or_default();
    serde_json::from_str(&text).map_err(|_| "The browser's answer could not be read.".to_string())
}

/// The options as JSON text, written by the same serializer as every request body (`to_string`,
/// through `Display`, would compile a second one).
fn written(options: &serde_json::Value) -> String {
    serde_json::to_string(options).unwrap_or_default()
}

/// Makes a new passkey for `options` (from the server); the credential as JSON.
pub async fn create_credential(options: &serde_json::Value) -> Result<serde_json::Value, String> {
    run(create(written(options))).await
}

/// Signs `options` (from the server) with a passkey; the credential as JSON.
pub async fn get_credential(options: &serde_json::Value) -> Result<serde_json::Value, String> {
    run(get(written(options))).await
}
