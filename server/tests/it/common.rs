//! Starts the real server on port 0 with a fresh database: SQLite in a temporary directory, or,
//! with `REGLO_TEST_BACKEND=postgres`, a PostgreSQL database created on the server named by
//! `REGLO_TEST_DATABASE_URL` and dropped when the test ends.

use leptos::config::LeptosOptions;
use reqwest::{redirect, Client, Response};
use serde_json::Value;
use server::config::Config;
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub data_dir: TempDir,
    pub config: Config,
    /// The PostgreSQL database made for this test, dropped with it.
    pub database: Option<TestDatabase>,
    /// The running app's state and mail worker, for tests to drain its queues on demand
    /// (`None` for an app in another process).
    pub workers: Option<(app::state::AppState, server::mail::MailWorker)>,
}

/// A PostgreSQL database of its own for one test.
pub struct TestDatabase {
    pub url: String,
    server_url: String,
    name: String,
}

impl TestDatabase {
    /// Creates `reglo_test_<random>` on the server `REGLO_TEST_DATABASE_URL` names.
    pub async fn create(server_url: &str) -> Self {
        use sqlx::Connection;
        let name = format!("reglo_test_{}", &app::services::session_cookie::new_token()[..16].to_lowercase());
        let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let mut admin =
            sqlx::PgConnection::connect(server_url).await.expect("connecting to the test PostgreSQL server");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("creating a test database");
        Self { url: with_database(server_url, &name), server_url: server_url.to_owned(), name }
    }
}

/// `server_url` naming `database` instead of the one it names (query string kept).
fn with_database(server_url: &str, database: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let (server_url, name) = (self.server_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                use sqlx::Connection;
                let mut admin = sqlx::PgConnection::connect(&server_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
                    .await?;
                Ok::<_, sqlx::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("test database {} was not dropped", self.name);
        }
    }
}

/// The database a test app runs on: PostgreSQL when asked for, else SQLite in `data_dir`.
async fn test_database(data_dir: &std::path::Path) -> (String, Option<TestDatabase>) {
    if std::env::var("REGLO_TEST_BACKEND").as_deref() == Ok("postgres") {
        let server_url = std::env::var("REGLO_TEST_DATABASE_URL")
            .expect("REGLO_TEST_BACKEND=postgres needs REGLO_TEST_DATABASE_URL");
        let database = TestDatabase::create(&server_url).await;
        (database.url.clone(), Some(database))
    } else {
        (format!("sqlite://{}", data_dir.join("reglo.db").display()), None)
    }
}

/// The webhook secrets tests sign their events with.
pub const PLATFORM_SECRET: &str = "whsec_test_platform";
pub const CONNECT_SECRET: &str = "whsec_test_connect";

/// How a test app runs.
pub struct TestOptions {
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    /// Off: events are stored but never applied (as if the server died right after).
    pub payment_worker: bool,
    /// Off: e-mails wait in the outbox until the test drains it.
    pub mail_worker: bool,
    /// Peers whose forwarding headers are believed (a reverse proxy in front).
    pub trusted_proxies: Vec<server::client_address::Network>,
    pub reconcile_after_seconds: i64,
    pub pay_rate_per_minute: u32,
    /// The built-in Stripe sandbox (on by default in tests); off, the server has no provider.
    pub sandbox: bool,
    /// Accounts one address may create per hour (every test signs up from 127.0.0.1).
    pub sign_ups_per_hour: u32,
    /// The site's `/pkg` file names carry their content's hash (cargo-leptos `hash-files`).
    pub hashed_assets: bool,
    /// `POST /_test/clock` moves the server's clock.
    pub test_clock: bool,
}

impl Default for TestOptions {
    fn default() -> Self {
        Self {
            public_url: None,
            smtp_url: None,
            payment_worker: true,
            mail_worker: true,
            trusted_proxies: Vec::new(),
            reconcile_after_seconds: 300,
            pay_rate_per_minute: 10_000,
            sandbox: true,
            sign_ups_per_hour: 1_000,
            hashed_assets: false,
            test_clock: false,
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with_options(TestOptions::default()).await
}

pub async fn spawn_app_with_public_url(public_url: Option<&str>) -> TestApp {
    spawn_app_with_options(TestOptions { public_url: public_url.map(str::to_owned), ..Default::default() })
        .await
}

/// The app delivering e-mail to `smtp_url` (instead of `.eml` files in its data dir).
pub async fn spawn_app_with_smtp(smtp_url: &str) -> TestApp {
    spawn_app_with_options(TestOptions { smtp_url: Some(smtp_url.to_owned()), ..Default::default() }).await
}

pub async fn spawn_app_with_options(options: TestOptions) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    let (database_url, database) = test_database(data_dir.path()).await;
    let config = Config {
        data_dir: data_dir.path().to_path_buf(),
        database_url,
        site_addr: addr,
        public_url: options.public_url.unwrap_or_else(|| format!("http://{addr}")),
        secret_key: None,
        smtp_url: options.smtp_url,
        mail_from: "Reglo <factures@reglo.test>".into(),
        mail_retry_seconds: 1,
        stripe_secret_key: None,
        stripe_sandbox: options.sandbox,
        stripe_sandbox_public: false,
        stripe_api_base: None,
        stripe_webhook_secret: Some(PLATFORM_SECRET.into()),
        stripe_connect_webhook_secret: Some(CONNECT_SECRET.into()),
        platform_fee_bp: 290,
        reconcile_after_seconds: options.reconcile_after_seconds,
        pay_rate_per_minute: options.pay_rate_per_minute,
        trusted_proxies: options.trusted_proxies.clone(),
        min_online_payment_cents: 2_000,
        sign_ups_per_hour: options.sign_ups_per_hour,
        daily_recipient_limit: 200,
        mail_retention_days: 30,
        test_clock: options.test_clock,
        leptos_options: LeptosOptions::builder()
            .output_name("reglo")
            .site_root(data_dir.path().join("site").display().to_string())
            .site_addr(addr)
            .hash_files(options.hashed_assets)
            .build(),
    };
    let app = server::server(&config).await.expect("app state");
    let mail = server::mail_worker(&app.state, &config).expect("mail worker");
    if options.mail_worker {
        mail.clone().spawn(app.state.mail_wakeup.clone());
    }
    let workers = Some((app.state.clone(), mail));
    if options.payment_worker {
        server::start_payment_worker(&app);
    }
    tokio::spawn(async move { server::serve(listener, &app).await });
    TestApp { base: format!("http://{addr}"), data_dir, config, database, workers }
}

/// Another instance on `first`'s PostgreSQL database, with its secret key and its Stripe sandbox,
/// as behind a load balancer (its own address and data directory).
pub async fn spawn_second_instance(first: &TestApp) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    let key = match &first.config.secret_key {
        Some(key) => key.clone(),
        None => {
            std::fs::read_to_string(first.data_dir.path().join("secret.key")).expect("the first one's key")
        }
    };
    let config = Config {
        data_dir: data_dir.path().to_path_buf(),
        site_addr: addr,
        public_url: format!("http://{addr}"),
        secret_key: Some(key.trim().to_owned()),
        stripe_api_base: Some(format!("{}/_sandbox/stripe/", first.base)),
        leptos_options: LeptosOptions::builder()
            .output_name("reglo")
            .site_root(data_dir.path().join("site").display().to_string())
            .site_addr(addr)
            .build(),
        ..first.config.clone()
    };
    let app = server::server(&config).await.expect("second instance");
    server::start_mail_worker(&app.state, &config).expect("mail worker");
    server::start_payment_worker(&app);
    tokio::spawn(async move { server::serve(listener, &app).await });
    TestApp { base: format!("http://{addr}"), data_dir, config, database: None, workers: None }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> Client {
    // A request still unanswered after two minutes (no test takes that long in all) fails its
    // test and names its address, instead of stalling the whole run.
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
}

impl TestApp {
    /// Applies every webhook event stored so far, now, as the worker would.
    pub async fn drain_webhooks(&self) {
        let (state, _) = self.workers.as_ref().expect("an app of this process");
        while server::stripe::worker::run_once(state).await > 0 {}
    }

    /// Delivers every e-mail due now, as the worker would.
    pub async fn drain_mail(&self) {
        let (_, mail) = self.workers.as_ref().expect("an app of this process");
        mail.run_once().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Calls a URL-encoded server function.
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        client.post(self.url(&format!("/api/{endpoint}"))).form(form).send().await.unwrap()
    }

    /// Calls a JSON server function.
    pub async fn call_json(&self, client: &Client, endpoint: &str, body: Value) -> Response {
        client.post(self.url(&format!("/api/{endpoint}"))).json(&body).send().await.unwrap()
    }

    /// A new account with a confirmed address, made as `reglo user create` does (the sign-up
    /// page's own flow, with its confirmation e-mail, has tests of its own), then logged in: the
    /// client holds its session. Returns the log-in's answer.
    pub async fn sign_up(&self, client: &Client, email: &str) -> Response {
        let state = match &self.workers {
            Some((state, _)) => state.clone(),
            // An instance in another process: its database, reached from here.
            None => server::state(&self.config).await.expect("the instance's state"),
        };
        app::services::accounts::create_account(&state, email, PASSWORD, PASSWORD)
            .await
            .unwrap_or_else(|e| panic!("account for {email}: {e}"));
        self.log_in(client, email).await
    }

    pub async fn log_in(&self, client: &Client, email: &str) -> Response {
        let res = self.call(client, "log_in", &[("email", email), ("password", PASSWORD)]).await;
        assert!(res.status().is_success(), "log-in of {email} failed: {}", res.status());
        res
    }

    pub async fn profile(&self, client: &Client) -> Value {
        let res = self.call(client, "business_profile", &[]).await;
        assert!(res.status().is_success(), "business_profile: {}", res.status());
        res.json().await.unwrap()
    }
}

/// A complete, valid profile as the settings form sends it.
pub fn valid_profile(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "address_line1": "12 rue des Lilas",
        "address_line2": "",
        "postal_code": "75011",
        "city": "Paris",
        "email": "contact@exemple.fr",
        "phone": "",
        "siret": "732 829 320 00074",
        "activity": "services_bic",
        "vat_status": "franchise",
        "vat_number": "",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "BNPAFRPP",
        "payment_terms_days": "30",
        "late_penalty_rate": "10",
        "invoice_prefix": "F-",
        "brand_color": "#0f766e"
    })
}

/// The smallest valid PNG (1×1, transparent).
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00,
    0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
    0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Signs up, completes the profile (franchise en base), adds a business client with a billing
/// e-mail, and issues an invoice of one line at `unit_price` euros, paid by transfer; returns its id.
pub async fn issued_invoice(app: &TestApp, browser: &Client, unit_price: &str) -> i64 {
    app.sign_up(browser, "marie@exemple.fr").await;
    set_up_business(app, browser).await;
    issue(app, browser, unit_price, &["transfer"]).await
}

pub async fn set_up_business(app: &TestApp, browser: &Client) {
    app.call_json(
        browser,
        "save_business_profile",
        serde_json::json!({ "profile": valid_profile("Marie Dupont") }),
    )
    .await;
}

/// Issues an invoice of one line to a new client, accepting `methods`.
pub async fn issue(app: &TestApp, browser: &Client, unit_price: &str, methods: &[&str]) -> i64 {
    issue_on(app, browser, unit_price, methods, "2026-11-27").await
}

/// Asks to issue an invoice of one line to a new client, accepting `methods`: the answer, for
/// tests of what is refused.
pub async fn try_issue(app: &TestApp, browser: &Client, unit_price: &str, methods: &[&str]) -> Response {
    let id = draft_on(app, browser, unit_price, methods, "2026-11-27").await;
    app.call(browser, "issue_invoice", &[("id", &id.to_string())]).await
}

/// The same, issued on `issue_date` (its service a week before, due thirty days after).
pub async fn issue_on(
    app: &TestApp,
    browser: &Client,
    unit_price: &str,
    methods: &[&str],
    issue_date: &str,
) -> i64 {
    let id = draft_on(app, browser, unit_price, methods, issue_date).await;
    let res = app.call(browser, "issue_invoice", &[("id", &id.to_string())]).await;
    assert!(res.status().is_success(), "issue_invoice: {} {}", res.status(), res.text().await.unwrap());
    id
}

/// A draft of one line to a new client, dated `issue_date`; its id.
async fn draft_on(
    app: &TestApp,
    browser: &Client,
    unit_price: &str,
    methods: &[&str],
    issue_date: &str,
) -> i64 {
    let date = app::domain::Date::parse(issue_date).expect("an ISO date");
    let (service_date, due_date) = (date.add_days(-7).to_string(), date.add_days(30).to_string());
    let client = serde_json::json!({ "kind": "business", "name": "Boulangerie Martin", "siren": "732829320",
        "email": "compta@martin.fr", "address_line1": "3 place du Marché", "postal_code": "69001", "city": "Lyon" });
    let client: Value = app
        .call_json(browser, "save_client", serde_json::json!({ "id": null, "client": client }))
        .await
        .json()
        .await
        .unwrap();
    let invoice = serde_json::json!({ "client_id": client["id"], "issue_date": issue_date,
        "service_date": service_date, "due_date": due_date, "operation": "services", "payment_methods": methods,
        "lines": [{ "description": "Conseil", "quantity": "1", "unit_price": unit_price, "vat_rate": "20" }] });
    let draft: Value = app
        .call_json(browser, "save_draft", serde_json::json!({ "id": null, "invoice": invoice }))
        .await
        .json()
        .await
        .unwrap();
    draft["id"].as_i64().unwrap()
}

/// An API key for the signed-in business, made in « Paramètres › API ».
pub async fn api_key(app: &TestApp, browser: &Client) -> String {
    let res = app.call(browser, "create_api_key", &[("name", "Tests")]).await;
    res.json::<Value>().await.unwrap()["key"].as_str().unwrap().to_owned()
}

/// `GET path` of the REST API with `key`: its status and JSON body.
pub async fn api_get(app: &TestApp, key: &str, path: &str) -> (reqwest::StatusCode, Value) {
    let res = client().get(app.url(path)).bearer_auth(key).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

/// Follows « Configurer » through the sandbox's onboarding (« Simuler l'activation ») and back.
pub async fn activate_online_payment(app: &TestApp, browser: &Client) {
    let res = browser.post(app.url("/parametres/paiements/stripe/configurer")).send().await.unwrap();
    assert_eq!(res.status(), 303, "configurer");
    let onboarding = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(onboarding.contains("/_sandbox/stripe/onboarding/"), "{onboarding}");
    let res = browser.post(&onboarding).form(&[("result", "activate")]).send().await.unwrap();
    assert_eq!(res.status(), 303, "sandbox onboarding");
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.ends_with("/parametres/paiements/stripe/retour"), "{back}");
    let res = browser.get(&back).send().await.unwrap();
    assert_eq!(res.headers()["location"], "/parametres/paiements?retour=1");
}

pub async fn invoice_view(app: &TestApp, browser: &Client, id: i64) -> Value {
    let res = app.call(browser, "get_invoice", &[("id", &id.to_string())]).await;
    assert!(res.status().is_success(), "get_invoice: {}", res.status());
    res.json().await.unwrap()
}

/// Waits (up to 10 s) until `check` holds for the invoice.
pub async fn wait_for_invoice(
    app: &TestApp,
    browser: &Client,
    id: i64,
    check: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..100 {
        let view = invoice_view(app, browser, id).await;
        if check(&view) {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("invoice {id} never reached the expected state: {}", invoice_view(app, browser, id).await);
}

/// aiosmtpd writing what it receives into a maildir.
pub struct SmtpServer {
    child: std::process::Child,
    pub maildir: std::path::PathBuf,
}

impl SmtpServer {
    /// `maildir` must not exist yet: the Maildir is created with its subfolders.
    pub fn start(port: u16, maildir: &std::path::Path) -> SmtpServer {
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect(
                "python3 -m aiosmtpd (install it with: python3 -m pip install aiosmtpd, as .ci/test does)",
            );
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not start; is it installed (python3 -m pip install aiosmtpd)?"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        SmtpServer { child, maildir: maildir.to_owned() }
    }

    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) {
                for e in entries.flatten() {
                    out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }

    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let messages = self.messages();
            if messages.len() >= count || std::time::Instant::now() > deadline {
                return messages;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Where a copy of the app's database holds `needle`: SQLite's files, or PostgreSQL's tables
/// (each row as text).
pub async fn database_holding(app: &TestApp, needle: &str) -> Vec<String> {
    match &app.database {
        None => ["reglo.db", "reglo.db-wal"]
            .into_iter()
            .filter(|file| {
                let bytes = std::fs::read(app.data_dir.path().join(file)).unwrap_or_default();
                bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            })
            .map(String::from)
            .collect(),
        Some(database) => {
            use sqlx::Connection;
            let mut db = sqlx::PgConnection::connect(&database.url).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .fetch_all(&mut db)
            .await
            .unwrap();
            let mut holding = Vec::new();
            for table in tables {
                let found: i64 = sqlx::query_scalar(&format!(
                    "SELECT count(*) FROM \"{table}\" t WHERE strpos(t::text, $1) > 0"
                ))
                .bind(needle)
                .fetch_one(&mut db)
                .await
                .unwrap();
                if found > 0 {
                    holding.push(table);
                }
            }
            holding
        }
    }
}
