//! The entrepreneur's legal identity and invoicing defaults (« Paramètres › Entreprise »).

use super::{Bic, BrandColor, Email, FieldErrors, Iban, LegalName, PostalCode, Siret, VatNumber};
use serde::{Deserialize, Serialize};

/// The tax category of the activity; it decides the micro-entrepreneur's thresholds and the
/// lines of the URSSAF declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Vente de marchandises (BIC).
    Goods,
    /// Prestation de services commerciale ou artisanale (BIC).
    ServicesBic,
    /// Profession libérale (BNC).
    LiberalBnc,
}

impl Activity {
    pub const ALL: [Activity; 3] = [Activity::Goods, Activity::ServicesBic, Activity::LiberalBnc];

    /// The code used in forms and in the API.
    pub fn code(self) -> &'static str {
        match self {
            Activity::Goods => "goods",
            Activity::ServicesBic => "services_bic",
            Activity::LiberalBnc => "liberal_bnc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Activity::Goods => "Vente de marchandises (BIC)",
            Activity::ServicesBic => "Prestation de services (BIC)",
            Activity::LiberalBnc => "Profession libérale (BNC)",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == code)
            .ok_or_else(|| "Choisissez votre type d'activité.".to_string())
    }
}

/// How VAT applies to the business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VatRegime {
    /// Franchise en base: no VAT charged, and every invoice says so.
    Franchise,
    /// VAT charged, under this intra-community number.
    Vat(VatNumber),
}

impl VatRegime {
    pub const FRANCHISE_MENTION: &'static str = "TVA non applicable, art. 293 B du CGI";
    /// Printed, and carried by the e-invoice, for a business that opted to pay VAT on issue.
    pub const DEBITS_MENTION: &'static str = "Option pour le paiement de la taxe d'après les débits";

    pub fn code(&self) -> &'static str {
        match self {
            VatRegime::Franchise => "franchise",
            VatRegime::Vat(_) => "vat",
        }
    }
}

/// Maps a field name to the field, by reference (`&`) or mutably (`&mut`).
macro_rules! profile_fields {
    ($input:ident, $name:ident, $($r:tt)+) => {
        match $name {
            "name" => Some($($r)+ $input.name),
            "address_line1" => Some($($r)+ $input.address_line1),
            "address_line2" => Some($($r)+ $input.address_line2),
            "postal_code" => Some($($r)+ $input.postal_code),
            "city" => Some($($r)+ $input.city),
            "email" => Some($($r)+ $input.email),
            "phone" => Some($($r)+ $input.phone),
            "siret" => Some($($r)+ $input.siret),
            "activity" => Some($($r)+ $input.activity),
            "vat_status" => Some($($r)+ $input.vat_status),
            "vat_number" => Some($($r)+ $input.vat_number),
            "iban" => Some($($r)+ $input.iban),
            "bic" => Some($($r)+ $input.bic),
            "payment_terms_days" => Some($($r)+ $input.payment_terms_days),
            "late_penalty_rate" => Some($($r)+ $input.late_penalty_rate),
            "invoice_prefix" => Some($($r)+ $input.invoice_prefix),
            "brand_color" => Some($($r)+ $input.brand_color),
            "vat_on_debits" => Some($($r)+ $input.vat_on_debits),
            _ => None,
        }
    };
}

/// The profile as typed in the form or sent to the API: every field a string, so that nothing
/// the entrepreneur typed is lost when some of it is invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BusinessProfileInput {
    pub name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub phone: String,
    pub siret: String,
    pub activity: String,
    pub vat_status: String,
    pub vat_number: String,
    pub iban: String,
    pub bic: String,
    pub payment_terms_days: String,
    pub late_penalty_rate: String,
    pub invoice_prefix: String,
    pub brand_color: String,
    /// `true` when a VAT-registered business opted to pay VAT on its invoices' issue
    /// (« d'après les débits ») rather than on payment; anything else is no.
    pub vat_on_debits: String,
}

impl BusinessProfileInput {
    pub const FIELDS: [&'static str; 18] = [
        "name",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
        "email",
        "phone",
        "siret",
        "activity",
        "vat_status",
        "vat_number",
        "iban",
        "bic",
        "payment_terms_days",
        "late_penalty_rate",
        "invoice_prefix",
        "brand_color",
        "vat_on_debits",
    ];

    /// What a new business starts with: the usual French defaults, identity left to fill in.
    pub fn new_business_defaults() -> Self {
        Self {
            activity: Activity::ServicesBic.code().into(),
            vat_status: "franchise".into(),
            payment_terms_days: BusinessProfile::DEFAULT_TERMS_DAYS.to_string(),
            late_penalty_rate: format_rate_bp(BusinessProfile::DEFAULT_LATE_PENALTY_BP),
            invoice_prefix: "F-".into(),
            brand_color: BrandColor::DEFAULT.into(),
            ..Self::default()
        }
    }

    /// Whether the business is in franchise en base (no VAT on its invoices).
    pub fn is_franchise(&self) -> bool {
        self.vat_status == "franchise"
    }

    /// Whether its invoices carry « Option pour le paiement de la taxe d'après les débits ».
    pub fn on_debits(&self) -> bool {
        !self.is_franchise() && self.vat_on_debits == "true"
    }

    /// The text field called `name` in forms and the API, for the form's generic inputs.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        profile_fields!(self, name, &mut)
    }

    pub fn field(&self, name: &str) -> &str {
        profile_fields!(self, name, &).map_or("", String::as_str)
    }

    /// Checks every field and returns the validated profile, or one French message per
    /// invalid field. The browser calls this as the entrepreneur types; the server calls it
    /// again before saving.
    pub fn validate(&self) -> Result<BusinessProfile, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", LegalName::parse(&self.name));
        let address_line1 = errors.check(
            "address_line1",
            required(&self.address_line1, "Indiquez l'adresse (numéro et rue).", 200),
        );
        let address_line2 = errors.check("address_line2", optional(&self.address_line2, 200));
        let postal_code = errors.check("postal_code", PostalCode::parse(&self.postal_code));
        let city = errors.check("city", required(&self.city, "Indiquez la ville.", 100));
        let email = errors.check("email", Email::parse(&self.email));
        let phone = errors.check("phone", parse_phone(&self.phone));
        let siret = errors.check("siret", Siret::parse(&self.siret));
        let activity = errors.check("activity", Activity::from_code(&self.activity));
        let vat = match self.vat_status.as_str() {
            "franchise" => Some(VatRegime::Franchise),
            "vat" => {
                let number = errors.check("vat_number", VatNumber::parse(&self.vat_number));
                if let (Some(n), Some(s)) = (&number, &siret) {
                    if n.siren_digits() != s.siren().as_str() {
                        errors.push("vat_number", "Ce numéro de TVA ne correspond pas à votre SIRET.");
                    }
                }
                number.map(VatRegime::Vat)
            }
            _ => {
                errors.push("vat_status", "Choisissez votre régime de TVA.");
                None
            }
        };
        let iban = if self.iban.trim().is_empty() {
            Some(None)
        } else {
            errors.check("iban", Iban::parse(&self.iban)).map(Some)
        };
        let bic = if self.bic.trim().is_empty() {
            Some(None)
        } else {
            errors.check("bic", Bic::parse(&self.bic)).map(Some)
        };
        let payment_terms_days = errors.check("payment_terms_days", parse_terms(&self.payment_terms_days));
        let late_penalty_bp = errors.check("late_penalty_rate", parse_rate_bp(&self.late_penalty_rate));
        let invoice_prefix = errors.check("invoice_prefix", parse_prefix(&self.invoice_prefix));
        let brand_color = errors.check("brand_color", BrandColor::parse(&self.brand_color));

        match (
            name,
            address_line1,
            address_line2,
            postal_code,
            city,
            email,
            phone,
            siret,
            activity,
            vat,
            iban,
            bic,
            payment_terms_days,
            late_penalty_bp,
            invoice_prefix,
            brand_color,
        ) {
            (
                Some(name),
                Some(address_line1),
                Some(address_line2),
                Some(postal_code),
                Some(city),
                Some(email),
                Some(phone),
                Some(siret),
                Some(activity),
                Some(vat),
                Some(iban),
                Some(bic),
                Some(payment_terms_days),
                Some(late_penalty_bp),
                Some(invoice_prefix),
                Some(brand_color),
            ) if errors.is_empty() => Ok(BusinessProfile {
                name,
                address_line1,
                address_line2,
                postal_code,
                city,
                email,
                phone,
                siret,
                activity,
                vat,
                iban,
                bic,
                payment_terms_days,
                late_penalty_bp,
                invoice_prefix,
                brand_color,
                vat_on_debits: self.on_debits(),
            }),
            _ => Err(errors),
        }
    }
}

/// A complete, valid business profile: what invoices are issued under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessProfile {
    pub name: LegalName,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: PostalCode,
    pub city: String,
    pub email: Email,
    pub phone: Option<String>,
    pub siret: Siret,
    pub activity: Activity,
    pub vat: VatRegime,
    pub iban: Option<Iban>,
    pub bic: Option<Bic>,
    pub payment_terms_days: u16,
    /// Late-payment penalty rate in basis points (1 015 = 10,15 %).
    pub late_penalty_bp: u32,
    pub invoice_prefix: String,
    pub brand_color: BrandColor,
    /// VAT paid on issue rather than on payment (VAT-registered businesses only).
    #[serde(default)]
    pub vat_on_debits: bool,
}

impl BusinessProfile {
    /// Art. L441-10 du Code de commerce caps payment terms at 60 days after the invoice date.
    pub const MAX_TERMS_DAYS: u16 = 60;
    pub const DEFAULT_TERMS_DAYS: u16 = 30;
    pub const DEFAULT_LATE_PENALTY_BP: u32 = 1_000;

    /// Back to the form's strings, in the normalised spelling.
    pub fn to_input(&self) -> BusinessProfileInput {
        BusinessProfileInput {
            name: self.name.as_str().into(),
            address_line1: self.address_line1.clone(),
            address_line2: self.address_line2.clone().unwrap_or_default(),
            postal_code: self.postal_code.as_str().into(),
            city: self.city.clone(),
            email: self.email.as_str().into(),
            phone: self.phone.clone().unwrap_or_default(),
            siret: self.siret.to_string(),
            activity: self.activity.code().into(),
            vat_status: self.vat.code().into(),
            vat_number: match &self.vat {
                VatRegime::Vat(n) => n.as_str().into(),
                VatRegime::Franchise => String::new(),
            },
            iban: self.iban.as_ref().map(ToString::to_string).unwrap_or_default(),
            bic: self.bic.as_ref().map(|b| b.as_str().to_owned()).unwrap_or_default(),
            payment_terms_days: self.payment_terms_days.to_string(),
            late_penalty_rate: format_rate_bp(self.late_penalty_bp),
            invoice_prefix: self.invoice_prefix.clone(),
            brand_color: self.brand_color.as_str().into(),
            vat_on_debits: if self.vat_on_debits { "true" } else { "" }.into(),
        }
    }
}

fn required(value: &str, message: &str, max: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        Err(message.into())
    } else if v.chars().count() > max {
        Err(format!("{max} caractères au maximum."))
    } else {
        Ok(v.into())
    }
}

fn optional(value: &str, max: usize) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        Ok(None)
    } else if v.chars().count() > max {
        Err(format!("{max} caractères au maximum."))
    } else {
        Ok(Some(v.into()))
    }
}

fn parse_phone(value: &str) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let allowed = v.chars().all(|c| c.is_ascii_digit() || " +.-()".contains(c));
    if !allowed || !(8..=15).contains(&digits) {
        return Err("Ce numéro de téléphone n'est pas valide (ex. 06 12 34 56 78).".into());
    }
    Ok(Some(v.into()))
}

fn parse_terms(value: &str) -> Result<u16, String> {
    let days: u16 = value
        .trim()
        .parse()
        .map_err(|_| "Indiquez un nombre de jours (0 pour un paiement à réception).".to_string())?;
    if days > BusinessProfile::MAX_TERMS_DAYS {
        return Err(format!(
            "Le délai de paiement ne peut pas dépasser {} jours après la date de facture (art. L441-10 du Code de commerce).",
            BusinessProfile::MAX_TERMS_DAYS
        ));
    }
    Ok(days)
}

/// « 10 », « 10,15 », « 10.5 % » → basis points. At most two decimals.
pub fn parse_rate_bp(value: &str) -> Result<u32, String> {
    let bad = || "Indiquez un taux en pourcentage, par exemple 10 ou 12,5.".to_string();
    let cleaned = value.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty()
        || whole.len() > 3
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let frac: u32 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    let bp = whole * 100 + frac;
    if bp == 0 || bp > 10_000 {
        return Err("Le taux doit être compris entre 0,01 % et 100 %.".into());
    }
    Ok(bp)
}

/// Whether saving the IBAN `after` replaces one already set (`before`), spaces and case aside:
/// what asks for the password again (the browser says so before the server checks it).
pub fn replaces_iban(before: &str, after: &str) -> bool {
    let compact = |iban: &str| iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let before = compact(before);
    !before.is_empty() && before != compact(after)
}

/// 1 015 → « 10,15 », 1 000 → « 10 ».
pub fn format_rate_bp(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        format!("{}", bp / 100)
    } else if bp.is_multiple_of(10) {
        format!("{},{}", bp / 100, (bp % 100) / 10)
    } else {
        format!("{},{:02}", bp / 100, bp % 100)
    }
}

fn parse_prefix(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty()
        || v.chars().count() > 10
        || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err("Le préfixe compte 1 à 10 caractères : lettres, chiffres, - ou _ (ex. F-).".into());
    }
    // Invoice numbers must never read like a credit note's or a quote's.
    use super::invoice_status::{CREDIT_NOTE_PREFIX, QUOTE_PREFIX};
    if [CREDIT_NOTE_PREFIX, QUOTE_PREFIX].iter().any(|reserved| v.to_uppercase().starts_with(reserved)) {
        return Err(format!(
            "Les préfixes {CREDIT_NOTE_PREFIX} et {QUOTE_PREFIX} sont réservés aux avoirs et aux devis : choisissez-en un autre (ex. F-)."
        ));
    }
    Ok(v.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_replacing_an_iban_already_set_asks_for_the_password() {
        assert!(!replaces_iban("", "FR76 3000 6000 0112 3456 7890 189"), "a first IBAN");
        assert!(
            !replaces_iban("FR76 3000 6000 0112 3456 7890 189", "fr7630006000011234567890189"),
            "spacing, case"
        );
        assert!(replaces_iban("FR76 3000 6000 0112 3456 7890 189", "FR7630004000031234567890143"));
        assert!(replaces_iban("FR76 3000 6000 0112 3456 7890 189", ""), "removing it");
    }

    pub(crate) fn valid_input() -> BusinessProfileInput {
        BusinessProfileInput {
            name: "Marie Dupont".into(),
            address_line1: "12 rue des Lilas".into(),
            postal_code: "75011".into(),
            city: "Paris".into(),
            email: "marie@exemple.fr".into(),
            siret: "732 829 320 00074".into(),
            iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            bic: "BNPAFRPP".into(),
            ..BusinessProfileInput::new_business_defaults()
        }
    }

    #[test]
    fn the_credit_note_and_quote_prefixes_are_reserved() {
        for taken in ["A-", "a-", "A-FACT", "D-", "d-2026"] {
            let input = BusinessProfileInput { invoice_prefix: taken.into(), ..valid_input() };
            let errors = input.validate().unwrap_err();
            assert!(errors.get("invoice_prefix").unwrap().contains("réservés"), "{taken}");
        }
        for free in ["F-", "FA-", "AD", "2026-"] {
            let input = BusinessProfileInput { invoice_prefix: free.into(), ..valid_input() };
            assert!(input.validate().is_ok(), "{free}");
        }
    }

    #[test]
    fn a_complete_profile_validates_and_normalises() {
        let p = valid_input().validate().unwrap();
        assert_eq!(p.name.as_str(), "Marie Dupont EI");
        assert_eq!(p.vat, VatRegime::Franchise);
        assert_eq!(p.late_penalty_bp, 1_000);
        assert_eq!(p.to_input().validate().unwrap(), p, "saving twice changes nothing");
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let input = BusinessProfileInput {
            siret: "73282932000075".into(),
            iban: "FR7630006000011234567890188".into(),
            payment_terms_days: "90".into(),
            late_penalty_rate: "dix".into(),
            ..valid_input()
        };
        let errors = input.validate().unwrap_err();
        assert!(errors.get("siret").unwrap().contains("clé de contrôle"));
        assert!(errors.get("iban").unwrap().contains("clé de contrôle"));
        assert!(errors.get("payment_terms_days").unwrap().contains("60 jours"));
        assert!(errors.get("late_penalty_rate").is_some());
        assert_eq!(errors.get("name"), None);
    }

    #[test]
    fn vat_number_must_match_the_siret() {
        let mut input =
            BusinessProfileInput { vat_status: "vat".into(), vat_number: "".into(), ..valid_input() };
        assert!(input.validate().unwrap_err().get("vat_number").is_some());
        input.vat_number = "FR44732829320".into();
        assert!(matches!(input.validate().unwrap().vat, VatRegime::Vat(_)));
        input.siret = "35600000000047".into();
        assert!(input.validate().unwrap_err().get("vat_number").unwrap().contains("SIRET"));
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate_bp("10"), Ok(1_000));
        assert_eq!(parse_rate_bp("10,15 %"), Ok(1_015));
        assert_eq!(parse_rate_bp("12.5"), Ok(1_250));
        assert!(parse_rate_bp("0").is_err());
        assert!(parse_rate_bp("1,234").is_err());
        assert!(parse_rate_bp("").is_err());
        assert_eq!(format_rate_bp(1_015), "10,15");
        assert_eq!(format_rate_bp(1_250), "12,5");
    }

    proptest! {
        #[test]
        fn rates_round_trip(bp in 1u32..=10_000) {
            prop_assert_eq!(parse_rate_bp(&format_rate_bp(bp)), Ok(bp));
        }

        #[test]
        fn terms_over_sixty_days_are_always_refused(days in 61u32..100_000) {
            let input = BusinessProfileInput { payment_terms_days: days.to_string(), ..valid_input() };
            prop_assert!(input.validate().unwrap_err().get("payment_terms_days").is_some());
        }
    }
}
