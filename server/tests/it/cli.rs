//! The `reglo` binary's commands, run as an operator would.

use crate::common::*;
use std::process::Command;

/// Runs `reglo` on the test app's data directory and database.
fn reglo(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reglo"))
        .args(args)
        .env("REGLO_DATA_DIR", app.data_dir.path())
        .env("REGLO_DATABASE_URL", &app.config.database_url)
        .output()
        .expect("run reglo")
}

#[tokio::test]
async fn migrate_then_user_create_gives_an_account_that_can_log_in() {
    let app = spawn_app().await;

    let out = reglo(&app, &["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = reglo(&app, &["user", "create", "--email", "Operateur@Exemple.fr", "--password", PASSWORD]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("operateur@exemple.fr"));

    // The running server shares that database: the new account logs in.
    let browser = client();
    let res =
        app.call(&browser, "log_in", &[("email", "operateur@exemple.fr"), ("password", PASSWORD)]).await;
    assert!(res.status().is_success(), "{}", res.status());

    // Bad input is refused with the field's French message, and creates nothing.
    let out = reglo(&app, &["user", "create", "--email", "pas-un-email", "--password", "court"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("adresse e-mail n'est pas valide"), "{stderr}");
    let out = reglo(&app, &["user", "create", "--email", "operateur@exemple.fr"]);
    assert!(!out.status.success(), "a missing --password is refused");
}

#[tokio::test]
async fn api_key_create_prints_a_key_that_opens_the_api() {
    let app = spawn_app().await;
    app.sign_up(&client(), "marie@exemple.fr").await;

    let out = reglo(&app, &["api-key", "create", "--email", "Marie@Exemple.fr"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let key = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(key.starts_with("rgl_") && key.len() == 68, "{key}");

    let res = reqwest::Client::new().get(app.url("/api/v1/business")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);

    let out = reglo(&app, &["api-key", "create", "--email", "personne@exemple.fr"]);
    assert!(!out.status.success(), "an unknown e-mail gets no key");
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn webhooks_failed_lists_the_events_set_aside() {
    // No worker of its own: the event's attempts are the test's alone.
    let app = spawn_app_with_options(TestOptions { payment_worker: false, ..Default::default() }).await;
    let out = reglo(&app, &["webhooks", "failed"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No webhook event is set aside."));

    let store = server::store::connect(&app.config.database_url).await.unwrap();
    let event = app::ports::StripeEvent {
        id: "evt_stubborn".into(),
        endpoint: app::ports::WebhookEndpoint::Connect,
        event_type: "checkout.session.completed".into(),
        account: Some("acct_1".into()),
        object_id: "cs_gone".into(),
        attempts: 0,
    };
    assert!(store.store_stripe_event(&event, 1_780_000_000).await.unwrap());
    store.claim_stripe_events(1_780_000_000, 1_780_000_030, 1).await.unwrap();
    store
        .stripe_event_failed("evt_stubborn", "No such checkout.session: cs_gone", None, 1_780_000_001)
        .await
        .unwrap();
    let out = reglo(&app, &["webhooks", "failed"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("evt_stubborn checkout.session.completed cs_gone (connect, 1 attempts"),
        "{listed}"
    );
    assert!(listed.contains("No such checkout.session: cs_gone"), "{listed}");
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_and_its_files_are_the_operators_alone() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("donnees");
    let out = Command::new(env!("CARGO_BIN_EXE_reglo"))
        .arg("migrate")
        .env("REGLO_DATA_DIR", &dir)
        .env_remove("REGLO_DATABASE_URL")
        .env_remove("REGLO_SECRET_KEY")
        .output()
        .expect("run reglo");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "the data directory");
    for file in ["reglo.db", "secret.key", "stripe-sandbox.db"] {
        let path = dir.join(file);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }
    assert!(dir.join("reglo.db").exists());
}

#[tokio::test]
async fn the_sandbox_is_never_on_a_public_address_by_accident() {
    let data_dir = tempfile::tempdir().unwrap();
    let serve = |extra: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_reglo"));
        command
            .arg("serve")
            .env("REGLO_DATA_DIR", data_dir.path())
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", free_port()))
            .env("REGLO_PUBLIC_URL", "https://factures.exemple.fr")
            .env("REGLO_STRIPE_SANDBOX", "1")
            .env_remove("REGLO_STRIPE_SANDBOX_PUBLIC")
            .env_remove("STRIPE_SECRET_KEY")
            .env_remove("REGLO_DATABASE_URL");
        for (key, value) in extra {
            command.env(key, value);
        }
        command
    };
    // On a public address, the sandbox refuses to start and says what to do.
    let out = serve(&[]).output().expect("run reglo");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("STRIPE_SECRET_KEY") && stderr.contains("REGLO_STRIPE_SANDBOX_PUBLIC=1"),
        "{stderr}"
    );
    // Both Stripe and the sandbox: refused too.
    let out = serve(&[("STRIPE_SECRET_KEY", "sk_live_x"), ("REGLO_PUBLIC_URL", "http://127.0.0.1:1")])
        .output()
        .expect("run reglo");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("choose Stripe or the sandbox"));
    // With the operator's explicit override it starts, warning that no real money moves.
    let mut child = serve(&[("REGLO_STRIPE_SANDBOX_PUBLIC", "1"), ("RUST_LOG", "warn")])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start reglo");
    let stderr = child.stderr.take().unwrap();
    let warning = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        std::io::BufReader::new(stderr).lines().map_while(Result::ok).find(|l| l.contains("TEST MODE"))
    });
    let warning = tokio::time::timeout(std::time::Duration::from_secs(60), warning).await;
    let _ = child.kill();
    let _ = child.wait();
    assert!(matches!(warning, Ok(Ok(Some(_)))), "no TEST MODE warning at start: {warning:?}");
}
