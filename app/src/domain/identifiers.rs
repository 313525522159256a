//! French and European identifiers with their check digits: SIREN/SIRET (Luhn), IBAN (mod 97),
//! BIC (format) and the French intra-community VAT number (key derived from the SIREN).

use super::compact;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Luhn check over a string of ASCII digits (SIREN/SIRET, card numbers).
pub fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A SIREN: the 9-digit company number, Luhn-checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Siren(String);

impl Siren {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = compact(input);
        if s.is_empty() {
            return Err("Indiquez le numéro SIREN.".into());
        }
        if !all_digits(&s) || s.len() != 9 {
            return Err("Le SIREN doit comporter 9 chiffres.".into());
        }
        if !luhn_valid(&s) {
            return Err(
                "Ce numéro SIREN n'existe pas : vérifiez les chiffres (clé de contrôle incorrecte).".into()
            );
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Siren {
    /// « 732 829 320 »
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", &self.0[0..3], &self.0[3..6], &self.0[6..9])
    }
}

/// A SIRET: SIREN + 5-digit establishment number, Luhn-checked over all 14 digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Siret(String);

/// La Poste's establishments share one SIREN and use their own rule instead of Luhn.
const LA_POSTE_SIREN: &str = "356000000";

impl Siret {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = compact(input);
        if s.is_empty() {
            return Err("Indiquez votre numéro SIRET.".into());
        }
        if !all_digits(&s) || s.len() != 14 {
            return Err(format!(
                "Le SIRET doit comporter 14 chiffres (vous en avez saisi {}).",
                s.chars().filter(char::is_ascii_digit).count()
            ));
        }
        let valid = if s.starts_with(LA_POSTE_SIREN) {
            s.bytes().map(|b| u32::from(b - b'0')).sum::<u32>().is_multiple_of(5)
        } else {
            luhn_valid(&s)
        };
        if !valid {
            return Err(
                "Ce numéro SIRET n'existe pas : vérifiez les chiffres (clé de contrôle incorrecte).".into()
            );
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn siren(&self) -> Siren {
        Siren(self.0[..9].to_owned())
    }
}

impl fmt::Display for Siret {
    /// « 732 829 320 00074 »
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.siren(), &self.0[9..])
    }
}

/// An IBAN, checked with ISO 13616 mod 97; stored without spaces, shown in groups of four.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Iban(String);

/// IBAN lengths of the SEPA countries a French entrepreneur's clients bank in most.
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "FR" | "MC" | "IT" | "SM" => 27,
        "DE" => 22,
        "BE" => 16,
        "ES" => 24,
        "LU" => 20,
        "CH" | "LI" => 21,
        "NL" => 18,
        "PT" => 25,
        "AT" => 20,
        "IE" | "GB" => 22,
        _ => return None,
    })
}

impl Iban {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = compact(input).to_ascii_uppercase();
        if s.is_empty() {
            return Err("Indiquez l'IBAN.".into());
        }
        let well_formed = s.len() >= 15
            && s.len() <= 34
            && s.bytes().all(|b| b.is_ascii_alphanumeric())
            && s.as_bytes()[..2].iter().all(u8::is_ascii_uppercase)
            && s.as_bytes()[2..4].iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err("Un IBAN commence par deux lettres et deux chiffres (ex. FR76 …) et compte de 15 à 34 caractères.".into());
        }
        if let Some(expected) = iban_length(&s[..2]) {
            if s.len() != expected {
                return Err(format!(
                    "Un IBAN {} compte {expected} caractères (vous en avez saisi {}).",
                    &s[..2],
                    s.len()
                ));
            }
        }
        if !iban_mod97_valid(&s) {
            return Err(
                "Cet IBAN n'est pas valide : vérifiez les caractères (clé de contrôle incorrecte).".into()
            );
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Moves the first four characters to the end, turns letters into 10..35 and checks the
/// remainder of the resulting number by 97 is 1, digit by digit to stay in a u32.
fn iban_mod97_valid(s: &str) -> bool {
    let rearranged = s[4..].bytes().chain(s[..4].bytes());
    let mut rem: u32 = 0;
    for b in rearranged {
        let value = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
        rem = if value >= 10 { (rem * 100 + value) % 97 } else { (rem * 10 + value) % 97 };
    }
    rem == 1
}

impl fmt::Display for Iban {
    /// « FR76 3000 6000 0112 3456 7890 189 »
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> =
            self.0.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        f.write_str(&groups.join(" "))
    }
}

/// A BIC (SWIFT code): 4 letters (bank), 2 letters (country), 2 letters or digits (place),
/// optionally 3 letters or digits (branch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bic(String);

impl Bic {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = compact(input).to_ascii_uppercase();
        let b = s.as_bytes();
        let ok = (s.len() == 8 || s.len() == 11)
            && b[..6].iter().all(u8::is_ascii_uppercase)
            && b[6..].iter().all(u8::is_ascii_alphanumeric);
        if ok {
            Ok(Self(s))
        } else {
            Err("Un BIC compte 8 ou 11 caractères (ex. BNPAFRPPXXX).".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A French intra-community VAT number: « FR » + 2-digit key + SIREN,
/// key = (12 + 3 × (SIREN mod 97)) mod 97.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatNumber(String);

impl VatNumber {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = compact(input).to_ascii_uppercase();
        if s.is_empty() {
            return Err("Indiquez votre numéro de TVA intracommunautaire.".into());
        }
        if s.len() != 13 || !s.starts_with("FR") || !all_digits(&s[2..]) {
            return Err(
                "Un numéro de TVA français s'écrit FR suivi de 11 chiffres (ex. FR44 732829320).".into()
            );
        }
        let siren: u64 = s[4..].parse().map_err(|_| "Numéro de TVA illisible.".to_string())?;
        let key: u64 = s[2..4].parse().map_err(|_| "Numéro de TVA illisible.".to_string())?;
        if (12 + 3 * (siren % 97)) % 97 != key {
            return Err("Ce numéro de TVA n'est pas valide : la clé ne correspond pas au SIREN.".into());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SIREN the number was derived from.
    pub fn siren_digits(&self) -> &str {
        &self.0[4..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_siret_and_siren_are_accepted_and_formatted() {
        let siret = Siret::parse("732 829 320 00074").unwrap();
        assert_eq!(siret.as_str(), "73282932000074");
        assert_eq!(siret.to_string(), "732 829 320 00074");
        assert_eq!(siret.siren().as_str(), "732829320");
        assert!(Siren::parse("732829320").is_ok());
    }

    #[test]
    fn siret_errors_say_what_is_wrong() {
        assert_eq!(Siret::parse("").unwrap_err(), "Indiquez votre numéro SIRET.");
        assert!(Siret::parse("7328293200007").unwrap_err().contains("14 chiffres (vous en avez saisi 13)"));
        assert!(Siret::parse("73282932000075").unwrap_err().contains("clé de contrôle"));
        assert!(Siret::parse("7328293200007A").unwrap_err().contains("14 chiffres"));
    }

    #[test]
    fn la_poste_establishments_use_their_own_rule() {
        // 356 000 000 00047: digit sum 25, a multiple of 5, though not Luhn-valid.
        assert!(Siret::parse("35600000000047").is_ok());
        assert!(Siret::parse("35600000000048").is_err());
    }

    #[test]
    fn iban_checks_length_and_key() {
        let iban = Iban::parse("fr76 3000 6000 0112 3456 7890 189").unwrap();
        assert_eq!(iban.as_str(), "FR7630006000011234567890189");
        assert_eq!(iban.to_string(), "FR76 3000 6000 0112 3456 7890 189");
        assert!(Iban::parse("DE89370400440532013000").is_ok());
        assert!(Iban::parse("FR7630006000011234567890188").unwrap_err().contains("clé de contrôle"));
        assert!(Iban::parse("FR763000600001123456789018").unwrap_err().contains("27 caractères"));
        assert!(Iban::parse("1234").unwrap_err().contains("deux lettres"));
    }

    #[test]
    fn bic_and_vat_number() {
        assert!(Bic::parse("BNPAFRPP").is_ok());
        assert!(Bic::parse("bnpa fr pp xxx").is_ok());
        assert!(Bic::parse("BNPAFRP").is_err());
        let vat = VatNumber::parse("FR44 732829320").unwrap();
        assert_eq!(vat.siren_digits(), "732829320");
        assert!(VatNumber::parse("FR45732829320").unwrap_err().contains("clé"));
    }

    /// Luhn check digit for a string of digits, computed independently of `luhn_valid`.
    fn luhn_digit(body: &str) -> u32 {
        let mut sum = 0;
        for (i, c) in body.chars().rev().enumerate() {
            let mut d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                d *= 2;
                if d > 9 {
                    d -= 9;
                }
            }
            sum += d;
        }
        (10 - sum % 10) % 10
    }

    proptest! {
        #[test]
        fn any_siret_with_a_correct_key_is_accepted(body in "[1-9][0-9]{12}") {
            prop_assume!(!body.starts_with("356000000"));
            let siret = format!("{body}{}", luhn_digit(&body));
            prop_assert!(Siret::parse(&siret).is_ok());
        }

        #[test]
        fn changing_one_digit_of_a_siret_is_caught(body in "[1-9][0-9]{12}", pos in 0usize..14, delta in 1u32..10) {
            prop_assume!(!body.starts_with("356000000"));
            let mut digits: Vec<u32> = format!("{body}{}", luhn_digit(&body)).chars().map(|c| c.to_digit(10).unwrap()).collect();
            digits[pos] = (digits[pos] + delta) % 10;
            let altered: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assert!(Siret::parse(&altered).is_err());
        }

        #[test]
        fn any_french_iban_with_computed_key_is_accepted_and_typos_are_caught(
            bban in "[0-9]{10}[0-9A-Z]{11}[0-9]{2}", pos in 4usize..27, swap in 0u8..10
        ) {
            // Key = 98 - (BBAN + "FR00" as digits) mod 97.
            let candidate = format!("FR00{bban}");
            let rearranged: String = candidate[4..].chars().chain(candidate[..4].chars())
                .map(|c| c.to_digit(36).unwrap().to_string()).collect();
            let rem = rearranged.chars().fold(0u64, |r, c| (r * 10 + u64::from(c.to_digit(10).unwrap())) % 97);
            let iban = format!("FR{:02}{bban}", 98 - rem);
            prop_assert!(Iban::parse(&iban).is_ok());

            let mut bytes = iban.into_bytes();
            let replacement = b'0' + swap;
            prop_assume!(bytes[pos].is_ascii_digit() && bytes[pos] != replacement);
            bytes[pos] = replacement;
            prop_assert!(Iban::parse(std::str::from_utf8(&bytes).unwrap()).is_err());
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = (Siret::parse(&s), Siren::parse(&s), Iban::parse(&s), Bic::parse(&s), VatNumber::parse(&s));
        }
    }
}
