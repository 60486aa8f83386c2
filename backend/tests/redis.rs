//! Shared limits in Redis: two instances count the `POST /api/auth` limit together.
//! Built with `--features redis-tests` (`cargo xtask test` does so when a Redis answers).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keydesk::config::Settings;
use keydesk::rate_limit::SharedLimits;
use keydesk::startup::Application;

fn redis_url() -> String {
    std::env::var("KEYDESK_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into())
}

async fn instance(data: &std::path::Path, prefix: &str) -> String {
    let mut settings = Settings::for_tests(data.to_path_buf(), None);
    settings.shared_limits = SharedLimits::Redis { url: redis_url(), prefix: prefix.to_string() };
    let app = Application::build(settings).await.expect("start with Redis");
    let url = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    url
}

#[tokio::test]
async fn two_instances_sharing_redis_allow_exactly_15_of_50_parallel_requests() {
    let data = tempfile::tempdir().unwrap();
    // A prefix of its own, so runs and other tests never share counters.
    let prefix = format!("keydesk-test-{}", uuid::Uuid::new_v4().simple());
    let first = instance(data.path(), &prefix).await;
    let second = instance(data.path(), &prefix).await;
    let client = reqwest::Client::new();
    let requests =
        (0..50).map(|i| {
            let url = format!("{}/api/auth", if i % 2 == 0 { &first } else { &second });
            let client = client.clone();
            let login = format!("{}@example.com", uuid::Uuid::new_v4().simple());
            async move {
                client.post(url).form(&[("tool", "dev"), ("login", login.as_str()), ("password", "x")]).send().await
            }
        });
    let responses = futures_util::future::join_all(requests).await;
    let passed = responses.into_iter().filter(|r| r.as_ref().unwrap().status() != 429).count();
    assert_eq!(passed, 15);
    let response = client
        .post(format!("{first}/api/auth"))
        .form(&[("tool", "dev"), ("login", "a@example.com"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
}

#[tokio::test]
async fn an_unreachable_redis_stops_the_start_with_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests(data.path().to_path_buf(), None);
    settings.shared_limits = SharedLimits::Redis { url: "redis://127.0.0.1:1/".into(), prefix: "x".into() };
    let error = Application::build(settings).await.err().expect("must not start");
    assert!(format!("{error:#}").contains("Redis"), "{error:#}");
}
