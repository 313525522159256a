//! The e-mail as the client receives it: a branded HTML part and a plain-text part, built from
//! the filled template. The browser runs the same code for the live preview.

use super::email_template::EmailTemplate;
use serde::{Deserialize, Serialize};

/// What is printed around the message: who sends it, and the invoice's key facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFrame {
    pub business_name: String,
    /// `#RRGGBB`.
    pub brand_color: String,
    /// Absolute URL of the logo, if any.
    pub logo_url: Option<String>,
    pub number: String,
    /// « 120,00 € »
    pub amount: String,
    /// « 27/12/2026 »
    pub due_date: String,
    /// The button's link: an invoice's pay link (when it accepts online payment), a quote's
    /// acceptance link, or the invoice in the app in the entrepreneur's own message.
    pub pay_url: Option<String>,
    /// On a receipt: « 27/11/2026 », shown instead of the due date.
    #[serde(default)]
    pub paid_on: Option<String>,
    /// Further facts, label and value (a receipt's fee and net).
    #[serde(default)]
    pub details: Vec<(String, String)>,
    /// An invoice's message, or a quote's (then `due_date` is the last day to accept it and
    /// `pay_url` the acceptance link).
    #[serde(default)]
    pub document: FramedDocument,
}

/// What a message is about, which names its facts and its button.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FramedDocument {
    #[default]
    Invoice,
    Quote,
    /// An invoice, in a message to the entrepreneur: its button opens it in the app.
    InvoiceForOwner,
}

impl FramedDocument {
    fn noun(self) -> &'static str {
        match self {
            FramedDocument::Invoice | FramedDocument::InvoiceForOwner => "Facture",
            FramedDocument::Quote => "Devis",
        }
    }

    /// The button's words.
    fn action(self) -> &'static str {
        match self {
            FramedDocument::Invoice => "Payer la facture",
            FramedDocument::Quote => "Voir et accepter le devis",
            FramedDocument::InvoiceForOwner => "Voir la facture dans Reglo",
        }
    }

    /// The link's line in the plain-text part.
    fn text_action(self) -> &'static str {
        match self {
            FramedDocument::Invoice => "Payer la facture en ligne",
            FramedDocument::Quote => "Voir et accepter le devis en ligne",
            FramedDocument::InvoiceForOwner => "Voir la facture dans Reglo",
        }
    }

    /// The link's short words in the text and under the button, where its long address would
    /// not fit a phone's screen.
    fn link_words(self) -> &'static str {
        match self {
            FramedDocument::Invoice => "page de paiement",
            FramedDocument::Quote => "page du devis",
            FramedDocument::InvoiceForOwner => "facture dans Reglo",
        }
    }
}

impl MessageFrame {
    /// The second line of the facts: the due date, the end of a quote's validity, or when it
    /// was paid.
    fn when(&self) -> (&'static str, &str) {
        match (&self.paid_on, self.document) {
            (Some(date), _) => ("Payée le", date),
            (None, FramedDocument::Invoice | FramedDocument::InvoiceForOwner) => ("Échéance", &self.due_date),
            (None, FramedDocument::Quote) => ("Valable jusqu'au", &self.due_date),
        }
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The plain-text part: the body, then the facts a client looks for.
pub fn text_part(filled: &EmailTemplate, frame: &MessageFrame) -> String {
    let mut text = filled.body.trim_end().to_owned();
    let (number, amount) = (&frame.number, &frame.amount);
    match (&frame.paid_on, frame.document) {
        (Some(date), _) => text.push_str(&format!("\n\n—\nFacture {number} : {amount} payé le {date}.\n")),
        (None, FramedDocument::Invoice | FramedDocument::InvoiceForOwner) => text.push_str(&format!(
            "\n\n—\nFacture {number} : {amount} à régler au plus tard le {}.\n",
            frame.due_date
        )),
        (None, FramedDocument::Quote) => text
            .push_str(&format!("\n\n—\nDevis {number} : {amount}, valable jusqu'au {}.\n", frame.due_date)),
    }
    for (label, value) in &frame.details {
        text.push_str(&format!("{label} : {value}\n"));
    }
    if let Some(url) = &frame.pay_url {
        text.push_str(&format!("{} : {url}\n", frame.document.text_action()));
    }
    text
}

/// The HTML part: logo and name in the brand colour, the body, a box with the amount and the
/// due date, and a « Payer la facture » button when the invoice can be paid online. Every
/// value is escaped; only inline styles, as mail clients want.
pub fn html_part(filled: &EmailTemplate, frame: &MessageFrame) -> String {
    let color = if super::BrandColor::parse(&frame.brand_color).is_ok() {
        frame.brand_color.as_str()
    } else {
        "#1d4ed8"
    };
    // A template may still spell the link out: it reads as short words, linked.
    let short_link = frame.pay_url.as_ref().map(|url| {
        let url = escape(url);
        let words = frame.document.link_words();
        (url.clone(), format!("<a href=\"{url}\" style=\"color:{color}\">{words}</a>"))
    });
    let paragraphs: String = filled
        .body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let mut html = escape(p.trim()).replace('\n', "<br>");
            if let Some((url, link)) = &short_link {
                html = html.replace(url.as_str(), link);
            }
            format!("<p style=\"margin:0 0 14px;overflow-wrap:anywhere\">{html}</p>")
        })
        .collect();
    let logo = frame
        .logo_url
        .as_ref()
        .map(|url| format!("<img src=\"{}\" alt=\"\" style=\"max-height:48px;max-width:160px;display:block;margin-bottom:8px\">", escape(url)))
        .unwrap_or_default();
    let button = frame
        .pay_url
        .as_ref()
        .map(|url| {
            // The button, then one short line for a mail client that does not show it.
            format!(
                "<p style=\"text-align:center;margin:24px 0 8px\"><a href=\"{url}\" style=\"background:{color};color:#ffffff;\
                 text-decoration:none;font-weight:bold;padding:14px 28px;border-radius:8px;display:inline-block\">\
                 {action}</a></p>\
                 <p style=\"text-align:center;margin:0;font-size:13px;color:#475467\">Le bouton ne s'affiche pas ? \
                 <a href=\"{url}\" style=\"color:{color}\">Ouvrir la {words}</a></p>",
                url = escape(url),
                action = frame.document.action(),
                words = frame.document.link_words(),
            )
        })
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"margin:0;padding:0;background:#f2f4f7;font-family:Helvetica,Arial,sans-serif;color:#101828\">\
         <div style=\"max-width:560px;margin:0 auto;padding:24px\">\
         <div style=\"border-top:6px solid {color};background:#ffffff;border-radius:8px;padding:24px\">\
         {logo}<p style=\"margin:0 0 20px;font-weight:bold;color:{color}\">{name}</p>\
         {paragraphs}\
         <table role=\"presentation\" style=\"width:100%;border-collapse:collapse;background:#f9fafb;border-radius:8px\">\
         <tr><td style=\"padding:12px\">{noun} {number}</td><td style=\"padding:12px;text-align:right;font-weight:bold\">{amount}</td></tr>\
         <tr><td style=\"padding:0 12px 12px\">{when}</td><td style=\"padding:0 12px 12px;text-align:right\">{due}</td></tr>\
         {details}</table>{button}\
         </div></div></body></html>",
        title = escape(&filled.subject),
        name = escape(&frame.business_name),
        noun = frame.document.noun(),
        number = escape(&frame.number),
        amount = escape(&frame.amount),
        when = frame.when().0,
        due = escape(frame.when().1),
        details = frame
            .details
            .iter()
            .map(|(label, value)| format!(
                "<tr><td style=\"padding:0 12px 12px\">{}</td><td style=\"padding:0 12px 12px;text-align:right\">{}</td></tr>",
                escape(label),
                escape(value)
            ))
            .collect::<String>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> MessageFrame {
        MessageFrame {
            business_name: "Marie Dupont EI".into(),
            brand_color: "#0f766e".into(),
            logo_url: None,
            number: "F-2026-0001".into(),
            amount: "120,00 €".into(),
            due_date: "27/12/2026".into(),
            pay_url: Some("https://reglo.fr/pay/abc".into()),
            paid_on: None,
            details: Vec::new(),
            document: FramedDocument::Invoice,
        }
    }

    #[test]
    fn a_quote_message_states_its_validity_and_links_to_its_answer() {
        let filled = EmailTemplate { subject: "Devis".into(), body: "Bonjour,".into() };
        let quote = MessageFrame {
            number: "D-2026-0001".into(),
            pay_url: Some("https://reglo.fr/quote/abc".into()),
            document: FramedDocument::Quote,
            ..frame()
        };
        let html = html_part(&filled, &quote);
        assert!(html.contains("Devis D-2026-0001") && html.contains("Valable jusqu'au"), "{html}");
        assert!(html.contains("Voir et accepter le devis") && !html.contains("Payer la facture"));
        let text = text_part(&filled, &quote);
        assert!(text.contains("valable jusqu'au 27/12/2026"), "{text}");
        assert!(text.contains("Voir et accepter le devis en ligne : https://reglo.fr/quote/abc"));
    }

    #[test]
    fn both_parts_state_the_amount_the_due_date_and_the_pay_link() {
        let filled = EmailTemplate { subject: "Facture".into(), body: "Bonjour,\n\nMerci.".into() };
        let html = html_part(&filled, &frame());
        assert!(html.contains("120,00 €") && html.contains("27/12/2026"));
        assert!(html.contains("href=\"https://reglo.fr/pay/abc\"") && html.contains("Payer la facture"));
        assert!(html.contains("#0f766e"));
        let text = text_part(&filled, &frame());
        assert!(text.contains("120,00 €") && text.contains("https://reglo.fr/pay/abc"));
        let offline = MessageFrame { pay_url: None, ..frame() };
        assert!(!html_part(&filled, &offline).contains("Payer la facture"));
    }

    #[test]
    fn a_spelled_out_link_reads_as_short_linked_words() {
        let url = "https://reglo.fr/pay/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let filled = EmailTemplate {
            subject: "Facture".into(),
            body: format!("Bonjour,\n\nVous pouvez la payer en ligne : {url}"),
        };
        let html = html_part(&filled, &MessageFrame { pay_url: Some(url.into()), ..frame() });
        // The address is only ever inside a link, never printed where it would overflow a phone.
        assert_eq!(html.matches(url).count(), 3, "text, button, fallback: {html}");
        assert_eq!(html.matches(&format!("href=\"{url}\"")).count(), 3, "{html}");
        assert!(html.contains("Vous pouvez la payer en ligne : <a href="), "{html}");
        assert!(
            html.contains("Le bouton ne s'affiche pas ?") && html.contains(">Ouvrir la page de paiement</a>")
        );
    }

    #[test]
    fn a_receipt_says_when_it_was_paid_and_its_details() {
        let filled = EmailTemplate { subject: "Reçu".into(), body: "Merci.".into() };
        let receipt = MessageFrame {
            pay_url: None,
            paid_on: Some("28/11/2026".into()),
            details: vec![("Frais".into(), "3,48 €".into())],
            ..frame()
        };
        let html = html_part(&filled, &receipt);
        assert!(html.contains("Payée le") && html.contains("28/11/2026") && !html.contains("Échéance"));
        assert!(html.contains("Frais") && html.contains("3,48 €"));
        let text = text_part(&filled, &receipt);
        assert!(text.contains("payé le 28/11/2026") && text.contains("Frais : 3,48 €"));
    }

    #[test]
    fn typed_text_cannot_inject_markup() {
        let filled =
            EmailTemplate { subject: "<b>".into(), body: "<script>alert(1)</script> & \"x\"".into() };
        let html = html_part(&filled, &MessageFrame { brand_color: "red;}</style>".into(), ..frame() });
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(!html.contains("red;}"), "an invalid colour falls back");
    }
}
