//! Names, addresses and credentials typed by people.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An e-mail address: one `@`, a dotted domain, no spaces or line breaks (which would allow
/// header injection once the address reaches an e-mail). Stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err("Indiquez une adresse e-mail.".into());
        }
        let invalid = || Err("Cette adresse e-mail n'est pas valide (ex. nom@exemple.fr).".to_string());
        if s.len() > 254
            || s.chars().any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
        {
            return invalid();
        }
        let Some((local, domain)) = s.split_once('@') else { return invalid() };
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return invalid();
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed at sign-up. Deliberately neither `Debug` nor `Serialize`-able, so it
/// cannot end up in a log line or a response.
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;
    /// The rule, shown beside the field before anything is typed.
    pub const RULE: &'static str =
        "Au moins 10 caractères, et pas un mot de passe courant comme 1234567890 ou azertyuiop.";

    pub fn parse(input: &str) -> Result<Self, String> {
        let n = input.chars().count();
        if n < Self::MIN_LEN {
            return Err(format!("Choisissez un mot de passe d'au moins {} caractères.", Self::MIN_LEN));
        }
        if n > Self::MAX_LEN {
            return Err(format!("Le mot de passe ne peut pas dépasser {} caractères.", Self::MAX_LEN));
        }
        if is_common(input) {
            return Err("Ce mot de passe est trop courant : il se devine en quelques essais. \
                        Choisissez-en un autre, par exemple trois mots sans rapport entre eux."
                .into());
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Among the first passwords tried by anyone guessing, however long: one of the most used
/// ones, a common word with digits after it, a short pattern repeated (« 1212121212 ») or
/// characters in a row (« 1234567890 », « abcdefghij », « 9876543210 »).
fn is_common(password: &str) -> bool {
    const USED: [&str; 16] = [
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "1qaz2wsx",
        "zaq12wsx",
        "qazwsxedc",
        "azertyuiop",
        "qwertyuiop",
        "asdfghjkl",
        "qsdfghjklm",
        "wxcvbn",
        "a123456789",
        "abc1234567",
        "1234512345",
        "0987654321",
        "1234567891",
    ];
    const WORDS: [&str; 20] = [
        "password",
        "motdepasse",
        "azerty",
        "qwerty",
        "azertyuiop",
        "qwertyuiop",
        "bonjour",
        "soleil",
        "jetaime",
        "iloveyou",
        "admin",
        "administrateur",
        "welcome",
        "bienvenue",
        "marseille",
        "football",
        "doudou",
        "loulou",
        "chouchou",
        "princesse",
    ];
    let lower: Vec<char> = password.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    let text: String = lower.iter().collect();
    let word = text.trim_end_matches(|c: char| !c.is_alphabetic());
    let repeated = (1..=4).any(|k| lower.len() > k && lower.iter().skip(k).zip(&lower).all(|(a, b)| a == b));
    let step = |a: char, b: char| u32::from(b).wrapping_sub(u32::from(a));
    let in_a_row = lower.windows(2).all(|w| step(w[0], w[1]) == 1 || (w[0], w[1]) == ('9', '0'))
        || lower.windows(2).all(|w| step(w[1], w[0]) == 1 || (w[0], w[1]) == ('0', '9'));
    repeated || in_a_row || USED.contains(&word) || USED.contains(&text.as_str()) || WORDS.contains(&word)
}

/// The business's legal name. An individual entrepreneur must show « EI » (or « entrepreneur
/// individuel ») next to their name on every invoice (loi du 14 février 2022), so it is added
/// when missing rather than refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalName(String);

impl LegalName {
    pub const MAX_LEN: usize = 120;

    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err("Indiquez le nom de votre entreprise (souvent vos prénom et nom).".into());
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(format!("Le nom ne peut pas dépasser {} caractères.", Self::MAX_LEN));
        }
        if Self::has_ei_mention(&s) {
            Ok(Self(s))
        } else {
            Ok(Self(format!("{s} EI")))
        }
    }

    fn has_ei_mention(s: &str) -> bool {
        let lower = s.to_lowercase();
        lower.contains("entrepreneur individuel")
            || lower.split(|c: char| !c.is_alphanumeric()).any(|word| word == "ei")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A French postal code: five digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err("Indiquez le code postal.".into());
        }
        if s.len() != 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Un code postal compte 5 chiffres.".into());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        assert_eq!(Email::parse("  Marie@Exemple.FR ").unwrap().as_str(), "marie@exemple.fr");
        for bad in [
            "",
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "ma rie@exemple.fr",
            "a@b@c.fr",
            "m@exemple.fr\r\nBcc: x@y.fr",
            "m@.fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn legal_name_gets_the_ei_mention_once() {
        assert_eq!(LegalName::parse("Marie  Dupont").unwrap().as_str(), "Marie Dupont EI");
        assert_eq!(LegalName::parse("Marie Dupont EI").unwrap().as_str(), "Marie Dupont EI");
        assert_eq!(LegalName::parse("EI Marie Dupont").unwrap().as_str(), "EI Marie Dupont");
        assert_eq!(
            LegalName::parse("Marie Dupont (entrepreneur individuel)").unwrap().as_str(),
            "Marie Dupont (entrepreneur individuel)"
        );
        // « Eiffel » contains "ei" but is not the mention.
        assert_eq!(LegalName::parse("Studio Eiffel").unwrap().as_str(), "Studio Eiffel EI");
        assert!(LegalName::parse("   ").is_err());
    }

    #[test]
    fn passwords_and_postal_codes() {
        assert!(Password::parse("court").is_err());
        assert!(Password::parse("assez-long-1").is_ok());
        // Long enough, but among the first guesses: refused, whatever the case or spaces.
        for common in [
            "1234567890",
            "0123456789",
            "9876543210",
            "abcdefghijk",
            "aaaaaaaaaa",
            "1212121212",
            "AZERTYUIOP",
            "azerty1234",
            "Motdepasse2026!",
            "password123",
            "1q2w3e4r5t",
            "asdfghjkl1",
        ] {
            let refused = Password::parse(common).map(|_| ()).unwrap_err();
            assert!(refused.contains("trop courant"), "{common}: {refused}");
        }
        for fine in ["un mot de passe solide", "correct horse battery", "0612457398", "Lyon-2026-atelier"] {
            assert!(Password::parse(fine).is_ok(), "{fine}");
        }
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert_eq!(PostalCode::parse("75 011").unwrap().as_str(), "75011");
        assert!(PostalCode::parse("7501").is_err());
    }

    proptest! {
        #[test]
        fn accepted_emails_never_contain_line_breaks(s in "\\PC{0,30}") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert!(!e.as_str().contains('\r') && !e.as_str().contains('\n'));
                prop_assert_eq!(e.as_str().matches('@').count(), 1);
            }
        }

        #[test]
        fn legal_names_always_carry_the_mention(s in "[a-zA-Zéè ]{1,40}") {
            if let Ok(name) = LegalName::parse(&s) {
                prop_assert!(LegalName::has_ei_mention(name.as_str()));
                // Parsing again changes nothing.
                prop_assert_eq!(LegalName::parse(name.as_str()).unwrap(), name);
            }
        }
    }
}
