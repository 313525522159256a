//! The e-mails Reglo sends for the entrepreneur: editable subject and body with placeholders,
//! checked when saved (unknown placeholders, header injection) and filled when sent.

use super::{Email, FieldErrors};
use serde::{Deserialize, Serialize};

/// Which message a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    InvoiceSent,
    PaymentReceivedClient,
    PaymentReceivedOwner,
    /// The first step of the automatic reminders, then the next three.
    Reminder,
    Reminder2,
    Reminder3,
    Reminder4,
    QuoteSent,
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 8] = [
        TemplateKind::InvoiceSent,
        TemplateKind::PaymentReceivedClient,
        TemplateKind::PaymentReceivedOwner,
        TemplateKind::Reminder,
        TemplateKind::Reminder2,
        TemplateKind::Reminder3,
        TemplateKind::Reminder4,
        TemplateKind::QuoteSent,
    ];

    /// The template of the reminder policy's step `index` (0 for the first).
    pub fn reminder(index: usize) -> Self {
        match index {
            0 => TemplateKind::Reminder,
            1 => TemplateKind::Reminder2,
            2 => TemplateKind::Reminder3,
            _ => TemplateKind::Reminder4,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            TemplateKind::InvoiceSent => "invoice_sent",
            TemplateKind::PaymentReceivedClient => "payment_received_client",
            TemplateKind::PaymentReceivedOwner => "payment_received_owner",
            TemplateKind::Reminder => "reminder",
            TemplateKind::Reminder2 => "reminder_2",
            TemplateKind::Reminder3 => "reminder_3",
            TemplateKind::Reminder4 => "reminder_4",
            TemplateKind::QuoteSent => "quote_sent",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            TemplateKind::InvoiceSent => "Envoi d'une facture",
            TemplateKind::PaymentReceivedClient => "Paiement reçu (au client)",
            TemplateKind::PaymentReceivedOwner => "Paiement reçu (à vous)",
            TemplateKind::Reminder => "Relance 1 (par défaut J−3, avant l'échéance)",
            TemplateKind::Reminder2 => "Relance 2 (par défaut J+1)",
            TemplateKind::Reminder3 => "Relance 3 (par défaut J+8)",
            TemplateKind::Reminder4 => "Relance 4 (par défaut J+15)",
            TemplateKind::QuoteSent => "Devis envoyé",
        }
    }

    /// Sensible French defaults, used until the entrepreneur edits them.
    pub fn default_template(self) -> EmailTemplate {
        let (subject, body) = match self {
            TemplateKind::InvoiceSent => (
                "Facture {numero} — {entreprise}",
                "Bonjour {client},\n\nVeuillez trouver ci-joint la facture {numero} d'un montant de {montant}, \
                 à régler au plus tard le {echeance}.\n\nMerci pour votre confiance,\n{entreprise}",
            ),
            TemplateKind::PaymentReceivedClient => (
                "Paiement reçu — facture {numero}",
                "Bonjour {client},\n\nNous avons bien reçu votre paiement de {montant} pour la facture {numero}. \
                 La facture acquittée est jointe à ce message.\n\nMerci !\n{entreprise}",
            ),
            TemplateKind::PaymentReceivedOwner => (
                "{client} a payé la facture {numero}",
                "Bonne nouvelle : {client} a payé {montant} pour la facture {numero}.\n\nLe tableau de bord \
                 de Reglo est à jour.",
            ),
            TemplateKind::Reminder => (
                "Rappel : facture {numero} à régler avant le {echeance}",
                "Bonjour {client},\n\nPetit rappel : la facture {numero} d'un montant de {montant} arrive à \
                 échéance le {echeance}.\n\nSi le paiement est déjà parti, merci de ne pas tenir compte de ce message.\n\n\
                 Cordialement,\n{entreprise}",
            ),
            TemplateKind::Reminder2 => (
                "Facture {numero} échue : {montant} à régler",
                "Bonjour {client},\n\nSauf erreur de notre part, la facture {numero} d'un montant de {montant}, \
                 échue le {echeance}, n'a pas encore été réglée ({jours_de_retard} jour(s) de retard).\n\n{penalites}\n\n\
                 Cordialement,\n{entreprise}",
            ),
            TemplateKind::Reminder3 => (
                "Deuxième relance : facture {numero} impayée",
                "Bonjour {client},\n\nMalgré notre précédent rappel, la facture {numero} d'un montant de {montant}, \
                 échue le {echeance}, reste impayée ({jours_de_retard} jours de retard).\n\n\
                 Merci de la régler dès maintenant.\n\n{penalites}\n\n\
                 Cordialement,\n{entreprise}",
            ),
            TemplateKind::Reminder4 => (
                "Dernière relance avant mise en demeure : facture {numero}",
                "Bonjour {client},\n\nLa facture {numero} d'un montant de {montant}, échue le {echeance}, \
                 reste impayée après {jours_de_retard} jours de retard malgré nos relances.\n\n\
                 Sans règlement de votre part sous 8 jours, nous vous adresserons une mise en demeure.\n\n\
                 {penalites}\n\n{entreprise}",
            ),
            TemplateKind::QuoteSent => (
                "Devis {numero} — {entreprise}",
                "Bonjour {client},\n\nVeuillez trouver ci-joint le devis {numero} d'un montant de {montant}, \
                 valable jusqu'au {validite}.\n\nVous pouvez le consulter et l'accepter en ligne.\n\n\
                 Je reste à votre disposition pour toute question.\n{entreprise}",
            ),
        };
        EmailTemplate { subject: subject.into(), body: body.into() }
    }
}

/// A subject and a plain-text body, with `{placeholders}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmailTemplate {
    pub subject: String,
    pub body: String,
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: [(&str, &str); 10] = [
    ("client", "le nom du client"),
    ("numero", "le numéro de la facture ou du devis"),
    ("montant", "le montant à payer (du devis)"),
    ("echeance", "la date d'échéance"),
    ("lien_paiement", "le lien de paiement en ligne"),
    ("entreprise", "le nom de votre entreprise"),
    ("lien_devis", "le lien pour consulter et accepter le devis"),
    ("validite", "la date jusqu'à laquelle le devis peut être accepté"),
    ("jours_de_retard", "le nombre de jours depuis l'échéance (relances)"),
    ("penalites", "les pénalités de retard dues à ce jour et, pour un client professionnel, l'indemnité de 40 € (relances)"),
];

/// The values placeholders are replaced by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateValues {
    pub client: String,
    pub numero: String,
    pub montant: String,
    pub echeance: String,
    pub lien_paiement: String,
    pub entreprise: String,
    pub lien_devis: String,
    pub validite: String,
    pub jours_de_retard: String,
    pub penalites: String,
}

impl TemplateValues {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "client" => &self.client,
            "numero" => &self.numero,
            "montant" => &self.montant,
            "echeance" => &self.echeance,
            "lien_paiement" => &self.lien_paiement,
            "entreprise" => &self.entreprise,
            "lien_devis" => &self.lien_devis,
            "validite" => &self.validite,
            "jours_de_retard" => &self.jours_de_retard,
            "penalites" => &self.penalites,
            _ => return None,
        })
    }
}

/// The `{names}` used in a text, in order.
fn placeholders_in(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                found.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    found
}

/// Refuses CR and LF in a header value, which would let a value add headers of its own.
pub fn check_header(value: &str) -> Result<(), String> {
    if value.contains(['\r', '\n']) {
        Err("Les retours à la ligne ne sont pas permis ici.".into())
    } else {
        Ok(())
    }
}

/// Reads « a@x.fr, b@y.fr » (commas, semicolons or spaces), each address checked; at most 10.
pub fn parse_recipients(input: &str) -> Result<Vec<Email>, String> {
    check_header(input)?;
    let parts: Vec<&str> = input.split([',', ';', ' ']).filter(|p| !p.trim().is_empty()).collect();
    if parts.is_empty() {
        return Err("Indiquez au moins un destinataire.".into());
    }
    if parts.len() > 10 {
        return Err("10 destinataires au maximum.".into());
    }
    parts
        .into_iter()
        .map(|p| {
            Email::parse(p).map_err(|_| format!("« {} » n'est pas une adresse e-mail valide.", p.trim()))
        })
        .collect()
}

impl EmailTemplate {
    pub const MAX_SUBJECT: usize = 200;
    pub const MAX_BODY: usize = 10_000;

    /// Checks lengths, header safety and that every placeholder is known.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let subject = self.subject.trim();
        if subject.is_empty() {
            errors.push("subject", "Indiquez un objet.");
        } else if subject.chars().count() > Self::MAX_SUBJECT {
            errors.push("subject", format!("{} caractères au maximum.", Self::MAX_SUBJECT));
        }
        if let Err(e) = check_header(&self.subject) {
            errors.push("subject", e);
        }
        if self.body.trim().is_empty() {
            errors.push("body", "Le message ne peut pas être vide.");
        } else if self.body.chars().count() > Self::MAX_BODY {
            errors.push("body", format!("{} caractères au maximum.", Self::MAX_BODY));
        }
        let valid = PLACEHOLDERS.map(|(name, _)| format!("{{{name}}}")).join(", ");
        for (field, text) in [("subject", &self.subject), ("body", &self.body)] {
            let unknown: Vec<&str> = placeholders_in(text)
                .into_iter()
                .filter(|p| !PLACEHOLDERS.iter().any(|(n, _)| n == p))
                .collect();
            if !unknown.is_empty() {
                let names = unknown.iter().map(|u| format!("{{{u}}}")).collect::<Vec<_>>().join(", ");
                errors.push(field, format!("Variable inconnue : {names}. Variables possibles : {valid}."));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The subject and body with their placeholders filled. A subject stays on one line
    /// whatever the values hold.
    pub fn fill(&self, values: &TemplateValues) -> EmailTemplate {
        let fill = |text: &str| {
            let mut out = String::with_capacity(text.len());
            let mut rest = text;
            while let Some(start) = rest.find('{') {
                out.push_str(&rest[..start]);
                let after = &rest[start + 1..];
                match after.find('}').and_then(|end| values.get(&after[..end]).map(|v| (end, v))) {
                    Some((end, value)) => {
                        out.push_str(value);
                        rest = &after[end + 1..];
                    }
                    None => {
                        out.push('{');
                        rest = after;
                    }
                }
            }
            out.push_str(rest);
            out
        };
        EmailTemplate { subject: fill(&self.subject).replace(['\r', '\n'], " "), body: fill(&self.body) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> TemplateValues {
        TemplateValues {
            client: "Boulangerie Martin".into(),
            numero: "F-2026-0001".into(),
            montant: "120,00 €".into(),
            echeance: "27/12/2026".into(),
            lien_paiement: "https://reglo.fr/pay/abc".into(),
            entreprise: "Marie Dupont EI".into(),
            lien_devis: "https://reglo.fr/quote/abc".into(),
            validite: "31/12/2026".into(),
            jours_de_retard: "8".into(),
            penalites: "Pénalités de retard à ce jour : 2,63 €.".into(),
        }
    }

    #[test]
    fn defaults_are_valid_and_fill_every_placeholder() {
        for kind in TemplateKind::ALL {
            let t = kind.default_template();
            assert_eq!(t.validate(), Ok(()), "{kind:?}");
            let filled = t.fill(&values());
            assert!(!filled.subject.contains('{') && !filled.body.contains('{'), "{filled:?}");
        }
        let sent = TemplateKind::InvoiceSent.default_template().fill(&values());
        assert_eq!(sent.subject, "Facture F-2026-0001 — Marie Dupont EI");
        // The link is the message's button (and its fallback line), not a long address in the text.
        assert!(sent.body.contains("120,00 €") && !sent.body.contains("https://reglo.fr/pay/abc"));
        let quote = TemplateKind::QuoteSent.default_template().fill(&values());
        assert!(!quote.body.contains("https://reglo.fr/quote/abc") && quote.body.contains("31/12/2026"));
    }

    #[test]
    fn unknown_placeholders_are_named_with_the_valid_ones() {
        let t = EmailTemplate { subject: "Facture {numéro}".into(), body: "Bonjour {nom}".into() };
        let errors = t.validate().unwrap_err();
        let subject = errors.get("subject").unwrap();
        assert!(subject.contains("{numéro}") && subject.contains("{numero}"), "{subject}");
        assert!(errors.get("body").unwrap().contains("{nom}"));
    }

    #[test]
    fn header_injection_is_refused() {
        let t = EmailTemplate { subject: "Facture\r\nBcc: x@y.fr".into(), body: "x".into() };
        assert!(t.validate().unwrap_err().get("subject").is_some());
        assert!(parse_recipients("a@b.fr\r\nBcc: c@d.fr").is_err());
        let mut v = values();
        v.client = "X\r\nBcc: evil@x.fr".into();
        let filled = EmailTemplate { subject: "Pour {client}".into(), body: String::new() }.fill(&v);
        assert!(!filled.subject.contains('\n'));
    }

    #[test]
    fn recipients_are_read_and_checked() {
        let list = parse_recipients("compta@martin.fr; Direction@Martin.fr ,").unwrap();
        assert_eq!(list.len(), 2);
        assert!(parse_recipients("compta@martin.fr, pas-une-adresse")
            .unwrap_err()
            .contains("pas-une-adresse"));
        assert!(parse_recipients("  ").is_err());
    }

    #[test]
    fn braces_that_are_not_placeholders_survive() {
        let t = EmailTemplate { subject: "a".into(), body: "Total {montant} {".into() };
        assert_eq!(t.fill(&values()).body, "Total 120,00 € {");
    }
}
