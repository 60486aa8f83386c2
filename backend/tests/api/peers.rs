//! Real servers on loopback standing in for the outside world: an SMTP server
//! that keeps what it receives, and an HTTP server speaking the SMS provider's API.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One received message: the envelope recipients and the raw DATA.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Clone, Default)]
pub struct SmtpServer {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = SmtpServer { port: listener.local_addr().unwrap().port(), ..Default::default() };
        let received = server.received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve_smtp(socket, received.clone()));
            }
        });
        server
    }

    /// Messages to `to` so far.
    pub fn to(&self, to: &str) -> Vec<Mail> {
        self.received.lock().unwrap().iter().filter(|m| m.to.iter().any(|t| t.contains(to))).cloned().collect()
    }

    /// Messages to `to` that contain `needle`.
    pub fn matching(&self, to: &str, needle: &str) -> Vec<Mail> {
        self.to(to).into_iter().filter(|m| m.data.contains(needle)).collect()
    }

    /// Waits for the `n`th message to `to` that contains `needle`.
    pub async fn wait_for_matching(&self, to: &str, needle: &str, n: usize) -> Mail {
        for _ in 0..100 {
            if let Some(mail) = self.matching(to, needle).get(n - 1) {
                return mail.clone();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no message #{n} to {to} with {needle:?} arrived");
    }

    /// The `n`th verification code sent to `to` (security notices are left out).
    pub async fn wait_for_code(&self, to: &str, n: usize) -> String {
        code_in(&self.wait_for_matching(to, "verification code is", n).await.data)
    }

    /// The token of the link to `page` (`set-password`, `verify-email`) in the `n`th such mail to `to`.
    pub async fn wait_for_link(&self, to: &str, page: &str, n: usize) -> String {
        let needle = format!("{page}?token=");
        for _ in 0..100 {
            // Undo quoted-printable: soft line breaks, and "=" written as "=3D".
            let texts: Vec<String> = self
                .to(to)
                .iter()
                .map(|m| m.data.replace("=\r\n", "").replace("=\n", "").replace("=3D", "="))
                .filter(|text| text.contains(&needle))
                .collect();
            if let Some(text) = texts.get(n - 1) {
                let start = text.find(&needle).unwrap() + needle.len();
                return text[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no link #{n} to {page} for {to} arrived");
    }
}

async fn serve_smtp(socket: tokio::net::TcpStream, received: Arc<Mutex<Vec<Mail>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 peers.test ESMTP\r\n").await;
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 peers.test\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
            b"250 OK\r\n"
        } else if upper == "DATA" {
            let _ = write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await;
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                data.push_str(&line);
                data.push('\n');
            }
            received.lock().unwrap().push(Mail { to: std::mem::take(&mut to), data });
            b"250 OK queued\r\n"
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 Bye\r\n").await;
            return;
        } else {
            b"250 OK\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// One SMS as the provider received it.
#[derive(Debug, Clone)]
pub struct Sms {
    pub to: String,
    pub from: String,
    pub body: String,
    pub authorization: String,
}

#[derive(Clone)]
pub struct SmsProvider {
    pub url: String,
    pub received: Arc<Mutex<Vec<Sms>>>,
    /// When set, the provider answers 500 to every message.
    pub failing: Arc<Mutex<bool>>,
}

pub const SMS_ACCOUNT: &str = "AC0123456789";
pub const SMS_TOKEN: &str = "provider-token";

impl SmsProvider {
    pub async fn start() -> SmsProvider {
        let received = Arc::new(Mutex::new(Vec::new()));
        let failing = Arc::new(Mutex::new(false));
        let (r, f) = (received.clone(), failing.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new((r.clone(), f.clone())))
                .route("/2010-04-01/Accounts/{account}/Messages.json", web::post().to(receive_sms))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let url = format!("http://{}", server.addrs()[0]);
        tokio::spawn(server.run());
        SmsProvider { url, received, failing }
    }

    pub async fn wait_for(&self, to: &str, n: usize) -> Sms {
        for _ in 0..100 {
            if let Some(sms) = self.received.lock().unwrap().iter().filter(|s| s.to == to).nth(n - 1) {
                return sms.clone();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no SMS #{n} to {to} arrived");
    }
}

type SmsState = web::Data<(Arc<Mutex<Vec<Sms>>>, Arc<Mutex<bool>>)>;

async fn receive_sms(req: HttpRequest, state: SmsState, form: web::Form<Vec<(String, String)>>) -> HttpResponse {
    if *state.1.lock().unwrap() {
        return HttpResponse::InternalServerError().json(serde_json::json!({"code": 20500, "message": "down"}));
    }
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let authorization =
        req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    state.0.lock().unwrap().push(Sms { to: field("To"), from: field("From"), body: field("Body"), authorization });
    HttpResponse::Created().json(serde_json::json!({"sid": "SM0001", "status": "queued"}))
}

/// The six-digit code in a message.
pub fn code_in(text: &str) -> String {
    let start = text.find("code is ").expect("no code in the message") + 8;
    text[start..start + 6].to_string()
}
