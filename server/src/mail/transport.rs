//! Builds MIME messages (text + HTML alternatives, the PDF attached) and hands them to lettre.

use app::ports::{Delivery, Mailer};
use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

pub struct LettreMailer {
    from: Mailbox,
    transport: Transport,
}

impl LettreMailer {
    /// SMTP when `smtp_url` is set (`smtp://user:pass@host:587?tls=required`, `smtps://…`),
    /// otherwise one `.eml` file per message in `outbox_dir`.
    pub fn new(smtp_url: Option<&str>, outbox_dir: PathBuf, from: &str) -> anyhow::Result<Self> {
        let from: Mailbox =
            from.parse().map_err(|e| anyhow::anyhow!("REGLO_MAIL_FROM is not an address: {e}"))?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("REGLO_SMTP_URL is not usable: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&outbox_dir)?;
                Transport::Files(AsyncFileTransport::<Tokio1Executor>::new(outbox_dir))
            }
        };
        Ok(Self { from, transport })
    }

    fn message(&self, key: &str, delivery: &Delivery) -> Result<Message, String> {
        let email = &delivery.email;
        // The same key gives the same Message-ID on every attempt, so a message delivered again
        // after a crash is recognised by the recipient's mail client as the one already received.
        let message_id = format!("<{key}@{}>", self.from.email.domain());
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(email.subject.clone())
            .message_id(Some(message_id))
            .date_now();
        if !email.reply_to.is_empty() {
            builder = builder.reply_to(email.reply_to.parse().map_err(|e| format!("reply-to: {e}"))?);
        }
        for to in &email.recipients {
            builder = builder.to(to.parse().map_err(|e| format!("recipient {to}: {e}"))?);
        }
        let alternatives =
            MultiPart::alternative_plain_html(email.text_body.clone(), email.html_body.clone());
        let body = match &delivery.attachment {
            Some((name, bytes)) => MultiPart::mixed().multipart(alternatives).singlepart(
                Attachment::new(name.clone())
                    .body(bytes.clone(), ContentType::parse("application/pdf").expect("static content type")),
            ),
            None => alternatives,
        };
        builder.multipart(body).map_err(|e| format!("message: {e}"))
    }
}

#[async_trait]
impl Mailer for LettreMailer {
    async fn deliver(&self, key: &str, delivery: &Delivery) -> Result<(), String> {
        let message = self.message(key, delivery)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Files(files) => files.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}
