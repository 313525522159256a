//! Money in integer euro cents, and its French spelling (« 1 234,56 € »).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub};

/// An amount in euro cents. Never a float: every total is computed on integers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);
    /// 10 million euros: above this an amount on a micro-entrepreneur's invoice is a typo.
    pub const MAX_CENTS: i64 = 1_000_000_000;

    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Reads an amount typed in euros: « 1 234,56 », « 1234.5 », « 12 € ». At most two decimals.
    pub fn parse_euros(input: &str) -> Result<Self, String> {
        let bad = || "Indiquez un montant en euros, par exemple 1 250,00.".to_string();
        let cleaned: String = input
            .trim()
            .trim_end_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '\u{a0}')
            .collect();
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, cleaned),
        };
        let digits = digits.replace(',', ".");
        let (whole, frac) = digits.split_once('.').unwrap_or((&digits, ""));
        if whole.is_empty()
            || frac.len() > 2
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 9
        {
            return Err(bad());
        }
        let euros: i64 = whole.parse().map_err(|_| bad())?;
        let cents: i64 =
            if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
        let total = euros * 100 + cents;
        if total > Self::MAX_CENTS {
            return Err("Ce montant dépasse 10 000 000 € : vérifiez la saisie.".into());
        }
        Ok(Self(if negative { -total } else { total }))
    }

    /// « 1234,56 » without thousands separator nor currency, for form fields.
    pub fn to_input(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{},{:02}", self.0.unsigned_abs() / 100, self.0.unsigned_abs() % 100)
    }
}

impl fmt::Display for Money {
    /// « 1 234,56 € », with a narrow no-break space between thousands and before the sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{grouped},{:02}\u{a0}€", abs % 100)
    }
}

// Amounts are bounded where they are typed (a line, an invoice: `MAX_CENTS`), so no sum of
// them comes near `i64`'s limits; were one to, it stops at the limit instead of wrapping round
// to a wrong amount that would reach the database.
impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// `numerator / denominator` rounded half away from zero (« arrondi commercial »).
pub fn div_round_half_away(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    let half = denominator / 2;
    if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        (numerator - half) / denominator
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn french_spelling() {
        assert_eq!(Money::from_cents(123_456).to_string(), "1\u{202f}234,56\u{a0}€");
        assert_eq!(Money::from_cents(5).to_string(), "0,05\u{a0}€");
        assert_eq!(Money::from_cents(-100_000_000).to_string(), "-1\u{202f}000\u{202f}000,00\u{a0}€");
        assert_eq!(Money::from_cents(-5).to_input(), "-0,05");
    }

    #[test]
    fn parsing_euros() {
        assert_eq!(Money::parse_euros("1 234,56"), Ok(Money::from_cents(123_456)));
        assert_eq!(Money::parse_euros("1234.5 €"), Ok(Money::from_cents(123_450)));
        assert_eq!(Money::parse_euros("12"), Ok(Money::from_cents(1_200)));
        assert_eq!(Money::parse_euros("-3,10"), Ok(Money::from_cents(-310)));
        for bad in ["", "abc", "1,234", "1.2.3", "12e3", "99999999999"] {
            assert!(Money::parse_euros(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(div_round_half_away(5, 10), 1);
        assert_eq!(div_round_half_away(4, 10), 0);
        assert_eq!(div_round_half_away(-5, 10), -1);
        assert_eq!(div_round_half_away(-4, 10), 0);
        assert_eq!(div_round_half_away(15, 10), 2);
    }

    proptest! {
        #[test]
        fn input_spelling_round_trips(cents in -Money::MAX_CENTS..=Money::MAX_CENTS) {
            let m = Money::from_cents(cents);
            prop_assert_eq!(Money::parse_euros(&m.to_input()), Ok(m));
            prop_assert_eq!(Money::parse_euros(&m.to_string()), Ok(m));
        }

        #[test]
        fn rounding_is_within_half_a_unit(n in -1_000_000_000i128..1_000_000_000, d in 1i128..100_000) {
            let q = div_round_half_away(n, d);
            prop_assert!((q * d - n).abs() * 2 <= d);
        }
    }
}
