//! The entrepreneur's clients: businesses (with a SIREN, printed on invoices as the law asks)
//! or private persons.

use super::{Email, FieldErrors, PostalCode, Siren, VatNumber};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    Business,
    Person,
}

impl ClientKind {
    pub fn code(self) -> &'static str {
        match self {
            ClientKind::Business => "business",
            ClientKind::Person => "person",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClientKind::Business => "Entreprise",
            ClientKind::Person => "Particulier",
        }
    }
}

/// A client as typed in the form or sent to the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientInput {
    pub kind: String,
    pub name: String,
    pub siren: String,
    pub vat_number: String,
    pub email: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
}

impl Default for ClientInput {
    fn default() -> Self {
        Self {
            kind: ClientKind::Business.code().into(),
            name: String::new(),
            siren: String::new(),
            vat_number: String::new(),
            email: String::new(),
            address_line1: String::new(),
            address_line2: String::new(),
            postal_code: String::new(),
            city: String::new(),
        }
    }
}

/// A valid client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub kind: ClientKind,
    pub name: String,
    pub siren: Option<Siren>,
    pub vat_number: Option<VatNumber>,
    pub email: Option<Email>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postal_code: PostalCode,
    pub city: String,
}

/// Maps a field name to the field, by reference (`&`) or mutably (`&mut`).
macro_rules! client_fields {
    ($input:ident, $name:ident, $($r:tt)+) => {
        match $name {
            "kind" => Some($($r)+ $input.kind),
            "name" => Some($($r)+ $input.name),
            "siren" => Some($($r)+ $input.siren),
            "vat_number" => Some($($r)+ $input.vat_number),
            "email" => Some($($r)+ $input.email),
            "address_line1" => Some($($r)+ $input.address_line1),
            "address_line2" => Some($($r)+ $input.address_line2),
            "postal_code" => Some($($r)+ $input.postal_code),
            "city" => Some($($r)+ $input.city),
            _ => None,
        }
    };
}

impl ClientInput {
    pub const FIELDS: [&'static str; 9] = [
        "kind",
        "name",
        "siren",
        "vat_number",
        "email",
        "address_line1",
        "address_line2",
        "postal_code",
        "city",
    ];

    pub fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        client_fields!(self, name, &mut)
    }

    pub fn field(&self, name: &str) -> &str {
        client_fields!(self, name, &).map_or("", String::as_str)
    }

    pub fn validate(&self) -> Result<Client, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match self.kind.as_str() {
            "business" => Some(ClientKind::Business),
            "person" => Some(ClientKind::Person),
            _ => {
                errors.push("kind", "Choisissez entreprise ou particulier.");
                None
            }
        };
        let name = errors.check("name", text(&self.name, "Indiquez le nom du client.", 120));
        let business = kind == Some(ClientKind::Business);
        let siren = if business {
            errors
                .check(
                    "siren",
                    Siren::parse(&self.siren).map_err(|e| {
                        format!(
                            "{e} Une facture à un client professionnel porte son SIREN : il figure sur \
                             son extrait Kbis ou sur annuaire-entreprises.data.gouv.fr."
                        )
                    }),
                )
                .map(Some)
        } else {
            Some(None)
        };
        let vat_number = if business && !self.vat_number.trim().is_empty() {
            errors.check("vat_number", VatNumber::parse(&self.vat_number)).map(Some)
        } else {
            Some(None)
        };
        let email = if self.email.trim().is_empty() {
            Some(None)
        } else {
            errors.check("email", Email::parse(&self.email)).map(Some)
        };
        let address_line1 =
            errors.check("address_line1", text(&self.address_line1, "Indiquez l'adresse du client.", 200));
        let address_line2 = self.address_line2.trim();
        if address_line2.chars().count() > 200 {
            errors.push("address_line2", "200 caractères au maximum.");
        }
        let postal_code = errors.check("postal_code", PostalCode::parse(&self.postal_code));
        let city = errors.check("city", text(&self.city, "Indiquez la ville.", 100));
        match (kind, name, siren, vat_number, email, address_line1, postal_code, city) {
            (
                Some(kind),
                Some(name),
                Some(siren),
                Some(vat_number),
                Some(email),
                Some(address_line1),
                Some(postal_code),
                Some(city),
            ) if errors.is_empty() => Ok(Client {
                kind,
                name,
                siren,
                vat_number,
                email,
                address_line1,
                address_line2: (!address_line2.is_empty()).then(|| address_line2.to_owned()),
                postal_code,
                city,
            }),
            _ => Err(errors),
        }
    }
}

impl Client {
    /// Back to the form's strings, normalised.
    pub fn to_input(&self) -> ClientInput {
        ClientInput {
            kind: self.kind.code().into(),
            name: self.name.clone(),
            siren: self.siren.as_ref().map(ToString::to_string).unwrap_or_default(),
            vat_number: self.vat_number.as_ref().map(|v| v.as_str().to_owned()).unwrap_or_default(),
            email: self.email.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default(),
            address_line1: self.address_line1.clone(),
            address_line2: self.address_line2.clone().unwrap_or_default(),
            postal_code: self.postal_code.as_str().into(),
            city: self.city.clone(),
        }
    }
}

fn text(value: &str, missing: &str, max: usize) -> Result<String, String> {
    let v = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        Err(missing.into())
    } else if v.chars().count() > max {
        Err(format!("{max} caractères au maximum."))
    } else {
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn business() -> ClientInput {
        ClientInput {
            name: "Boulangerie Martin SARL".into(),
            siren: "732 829 320".into(),
            email: "Compta@Martin.fr".into(),
            address_line1: "3 place du Marché".into(),
            postal_code: "69001".into(),
            city: "Lyon".into(),
            ..ClientInput::default()
        }
    }

    #[test]
    fn a_business_client_needs_its_siren() {
        let c = business().validate().unwrap();
        assert_eq!(c.siren.unwrap().as_str(), "732829320");
        assert_eq!(c.email.unwrap().as_str(), "compta@martin.fr");
        let errors = ClientInput { siren: String::new(), ..business() }.validate().unwrap_err();
        assert!(errors.get("siren").unwrap().contains("SIREN"));
    }

    #[test]
    fn a_person_needs_no_siren_and_may_have_no_email() {
        let input = ClientInput {
            kind: "person".into(),
            siren: "n'importe quoi".into(),
            email: String::new(),
            ..business()
        };
        let c = input.validate().unwrap();
        assert_eq!(c.kind, ClientKind::Person);
        assert_eq!(c.siren, None, "a SIREN typed before switching to « particulier » is dropped");
        assert_eq!(c.email, None);
    }

    #[test]
    fn bad_fields_are_reported_each() {
        let errors = ClientInput {
            email: "pas un email".into(),
            postal_code: "123".into(),
            name: " ".into(),
            ..business()
        }
        .validate()
        .unwrap_err();
        assert!(errors.get("email").is_some());
        assert!(errors.get("postal_code").is_some());
        assert!(errors.get("name").is_some());
        assert_eq!(business().validate().unwrap().to_input().validate(), business().validate());
    }
}
