//! E-mail delivery: the lettre adapter behind the app's `Mailer` port (SMTP from
//! `REGLO_SMTP_URL`, or `.eml` files under `$REGLO_DATA_DIR/outbox` when it is unset) and the
//! worker that drains the outbox with back-off.

mod transport;
mod worker;

pub use transport::LettreMailer;
pub use worker::MailWorker;
