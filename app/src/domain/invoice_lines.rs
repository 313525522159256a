//! Invoice lines and totals: quantities with decimals, VAT rates, discounts, and the rounding
//! rule that makes the browser and the server print the same figures.
//!
//! Rounding, once and for all:
//! - each line's total HT = quantity × unit price × (1 − discount), rounded to the cent
//!   (half away from zero);
//! - VAT is computed per rate on the sum of the rounded line totals at that rate, rounded to the
//!   cent the same way;
//! - total HT = sum of line totals; total TVA = sum of the per-rate VAT; TTC = HT + TVA.

use super::money::{div_round_half_away, Money};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A quantity with up to three decimals (2,5 h; 0,125 kg), stored in thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Quantity(i64);

impl Quantity {
    const SCALE: i64 = 1_000;
    /// One million units: more is a typo on a micro-entrepreneur's invoice.
    pub const MAX: i64 = 1_000_000 * Self::SCALE;

    pub fn from_thousandths(thousandths: i64) -> Self {
        Self(thousandths)
    }

    pub fn thousandths(self) -> i64 {
        self.0
    }

    /// « 2,5 », « 2.5 », « 10 ». Positive, three decimals at most.
    pub fn parse(input: &str) -> Result<Self, String> {
        let bad = || "Indiquez une quantité, par exemple 1 ou 2,5.".to_string();
        let s: String =
            input.trim().chars().filter(|c| !c.is_whitespace()).collect::<String>().replace(',', ".");
        if s.starts_with('-') {
            // A negative line is how other tools deduct; here that is a discount or a credit note.
            return Err(NOT_POSITIVE.into());
        }
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        if whole.is_empty()
            || whole.len() > 7
            || frac.len() > 3
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<3}").parse().map_err(|_| bad())? };
        let q = whole * Self::SCALE + frac;
        if q == 0 {
            return Err(NOT_POSITIVE.into());
        }
        if q > Self::MAX {
            return Err("La quantité ne peut pas dépasser 1 000 000.".into());
        }
        Ok(Self(q))
    }
}

const NOT_POSITIVE: &str = "La quantité doit être supérieure à zéro. Pour déduire un montant, \
     indiquez une remise sur la ligne ou émettez un avoir.";

impl fmt::Display for Quantity {
    /// « 2,5 », « 10 », « 0,125 » (the API's decimal string uses a dot: see `to_api`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_api().replace('.', ","))
    }
}

impl Quantity {
    /// « 2.5 »: the decimal string the API speaks.
    pub fn to_api(self) -> String {
        let whole = self.0 / Self::SCALE;
        let frac = self.0 % Self::SCALE;
        if frac == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
        }
    }
}

/// The French VAT rates an invoice line may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum VatRate {
    /// No VAT (franchise en base, or exempt operations).
    Zero,
    /// 5,5 %.
    Reduced,
    /// 10 %.
    Intermediate,
    /// 20 %.
    Normal,
}

impl VatRate {
    pub const ALL: [VatRate; 4] = [VatRate::Zero, VatRate::Reduced, VatRate::Intermediate, VatRate::Normal];

    /// In basis points.
    pub fn bp(self) -> i64 {
        match self {
            VatRate::Zero => 0,
            VatRate::Reduced => 550,
            VatRate::Intermediate => 1_000,
            VatRate::Normal => 2_000,
        }
    }

    /// « 5,5 % ».
    pub fn label(self) -> &'static str {
        match self {
            VatRate::Zero => "0 %",
            VatRate::Reduced => "5,5 %",
            VatRate::Intermediate => "10 %",
            VatRate::Normal => "20 %",
        }
    }

    /// « 5.5 »: the API's spelling.
    pub fn to_api(self) -> &'static str {
        match self {
            VatRate::Zero => "0",
            VatRate::Reduced => "5.5",
            VatRate::Intermediate => "10",
            VatRate::Normal => "20",
        }
    }

    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim().trim_end_matches('%').trim().replace(',', ".");
        Self::ALL
            .into_iter()
            .find(|r| r.to_api() == s || format!("{}.0", r.to_api()) == s)
            .ok_or_else(|| "Taux de TVA inconnu : choisissez 0, 5,5, 10 ou 20 %.".to_string())
    }
}

/// One line of an invoice, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: Quantity,
    /// Free text: « h », « jour », « pièce »… (may be empty).
    pub unit: String,
    pub unit_price: Money,
    pub vat_rate: VatRate,
    /// Discount on the line, in basis points (1 000 = 10 %).
    pub discount_bp: i64,
}

impl InvoiceLine {
    pub const MAX_DESCRIPTION: usize = 2_000;

    /// quantity × unit price × (1 − discount), rounded to the cent.
    pub fn total_ht(&self) -> Money {
        let raw = i128::from(self.quantity.thousandths())
            * i128::from(self.unit_price.cents())
            * i128::from(10_000 - self.discount_bp);
        let cents = div_round_half_away(raw, 1_000 * 10_000);
        Money::from_cents(i64::try_from(cents).unwrap_or(i64::MAX))
    }
}

/// The VAT of one rate: its base and amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VatLine {
    pub rate: VatRate,
    pub base: Money,
    pub vat: Money,
}

/// What an invoice adds up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub ht: Money,
    /// One entry per rate used with a non-zero rate, in increasing rate order.
    pub vat: Vec<VatLine>,
    pub tax: Money,
    pub ttc: Money,
}

/// Adds up `lines` by the rule in this module's documentation.
pub fn totals(lines: &[InvoiceLine]) -> Totals {
    let ht: Money = lines.iter().map(InvoiceLine::total_ht).sum();
    let vat: Vec<VatLine> = VatRate::ALL
        .into_iter()
        .filter(|rate| rate.bp() > 0)
        .filter_map(|rate| {
            let mut at_rate = lines.iter().filter(|l| l.vat_rate == rate).peekable();
            at_rate.peek()?;
            let base: Money = at_rate.map(InvoiceLine::total_ht).sum();
            let vat = div_round_half_away(i128::from(base.cents()) * i128::from(rate.bp()), 10_000);
            Some(VatLine { rate, base, vat: Money::from_cents(i64::try_from(vat).unwrap_or(i64::MAX)) })
        })
        .collect();
    let tax: Money = vat.iter().map(|v| v.vat).sum();
    Totals { ht, vat, tax, ttc: ht + tax }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(qty: &str, price_cents: i64, rate: VatRate, discount_bp: i64) -> InvoiceLine {
        InvoiceLine {
            description: "Prestation".into(),
            quantity: Quantity::parse(qty).unwrap(),
            unit: "h".into(),
            unit_price: Money::from_cents(price_cents),
            vat_rate: rate,
            discount_bp,
        }
    }

    #[test]
    fn quantities() {
        assert_eq!(Quantity::parse("2,5").unwrap().thousandths(), 2_500);
        assert_eq!(Quantity::parse("0.125").unwrap().to_string(), "0,125");
        assert_eq!(Quantity::parse("10").unwrap().to_api(), "10");
        assert_eq!(Quantity::parse("1.50").unwrap().to_api(), "1.5");
        for bad in ["", "0", "-1", "1,2345", "abc", "1e3", "10000000"] {
            assert!(Quantity::parse(bad).is_err(), "{bad:?}");
        }
        // A negative quantity is told what to do instead, as zero is.
        assert_eq!(Quantity::parse("-2"), Quantity::parse("0"));
        assert!(Quantity::parse("-2").unwrap_err().contains("remise"));
    }

    #[test]
    fn vat_rates() {
        assert_eq!(VatRate::parse("5,5"), Ok(VatRate::Reduced));
        assert_eq!(VatRate::parse("20 %"), Ok(VatRate::Normal));
        assert_eq!(VatRate::parse("10.0"), Ok(VatRate::Intermediate));
        assert!(VatRate::parse("19.6").is_err());
    }

    #[test]
    fn a_worked_example() {
        // 2,5 h at 45,00 € = 112,50 €; 3 × 19,99 € with 10 % off = 53,973 → 53,97 €.
        let lines = [line("2,5", 4_500, VatRate::Normal, 0), line("3", 1_999, VatRate::Normal, 1_000)];
        let t = totals(&lines);
        assert_eq!(t.ht, Money::from_cents(16_647));
        // 20 % of 166,47 = 33,294 → 33,29.
        assert_eq!(
            t.vat,
            vec![VatLine {
                rate: VatRate::Normal,
                base: Money::from_cents(16_647),
                vat: Money::from_cents(3_329)
            }]
        );
        assert_eq!(t.ttc, Money::from_cents(19_976));
    }

    #[test]
    fn franchise_invoices_have_no_vat_lines() {
        let t = totals(&[line("1", 50_000, VatRate::Zero, 0)]);
        assert!(t.vat.is_empty());
        assert_eq!(t.tax, Money::ZERO);
        assert_eq!(t.ttc, Money::from_cents(50_000));
    }

    #[test]
    fn half_cents_round_away_from_zero() {
        // 0,5 × 0,01 € = 0,005 € → 0,01 €.
        assert_eq!(line("0,5", 1, VatRate::Zero, 0).total_ht(), Money::from_cents(1));
        // 5,5 % of 0,10 € = 0,0055 € → 0,01 €.
        assert_eq!(totals(&[line("1", 10, VatRate::Reduced, 0)]).tax, Money::from_cents(1));
    }

    fn arb_line() -> impl Strategy<Value = InvoiceLine> {
        (1i64..=Quantity::MAX / 1_000, 0i64..=10_000_000, 0usize..4, 0i64..=10_000).prop_map(
            |(q, p, r, d)| InvoiceLine {
                description: "x".into(),
                quantity: Quantity::from_thousandths(q),
                unit: String::new(),
                unit_price: Money::from_cents(p),
                vat_rate: VatRate::ALL[r],
                discount_bp: d,
            },
        )
    }

    proptest! {
        #[test]
        fn totals_add_up(lines in proptest::collection::vec(arb_line(), 0..30)) {
            let t = totals(&lines);
            prop_assert_eq!(t.ttc, t.ht + t.tax);
            prop_assert_eq!(t.ht, lines.iter().map(InvoiceLine::total_ht).sum::<Money>());
            prop_assert_eq!(t.tax, t.vat.iter().map(|v| v.vat).sum::<Money>());
            // The per-rate bases cover every taxed line, and nothing else.
            let taxed: Money = lines.iter().filter(|l| l.vat_rate != VatRate::Zero).map(InvoiceLine::total_ht).sum();
            prop_assert_eq!(t.vat.iter().map(|v| v.base).sum::<Money>(), taxed);
        }

        #[test]
        fn each_line_is_exact_to_half_a_cent(line in arb_line()) {
            let exact = i128::from(line.quantity.thousandths()) * i128::from(line.unit_price.cents())
                * i128::from(10_000 - line.discount_bp);
            let rounded = i128::from(line.total_ht().cents()) * 10_000_000;
            prop_assert!((rounded - exact).abs() * 2 <= 10_000_000);
        }

        #[test]
        fn order_of_lines_does_not_change_totals(mut lines in proptest::collection::vec(arb_line(), 0..12)) {
            let before = totals(&lines);
            lines.reverse();
            prop_assert_eq!(totals(&lines), before);
        }

        #[test]
        fn quantity_spellings_round_trip(q in 1i64..=Quantity::MAX) {
            let quantity = Quantity::from_thousandths(q);
            prop_assert_eq!(Quantity::parse(&quantity.to_api()), Ok(quantity));
            prop_assert_eq!(Quantity::parse(&quantity.to_string()), Ok(quantity));
        }
    }
}
