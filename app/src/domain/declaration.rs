//! The URSSAF revenue declaration of a micro-entrepreneur: revenue received (HT) per period,
//! split by the form's categories, rounded to the euro, and its deadline.

use super::period::Period;
use super::{Activity, Date, Money, OperationNature};
use serde::{Deserialize, Serialize};

/// How often revenue is declared, chosen with the URSSAF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclarationFrequency {
    Monthly,
    Quarterly,
}

impl DeclarationFrequency {
    pub const ALL: [DeclarationFrequency; 2] =
        [DeclarationFrequency::Monthly, DeclarationFrequency::Quarterly];

    pub fn code(self) -> &'static str {
        match self {
            DeclarationFrequency::Monthly => "monthly",
            DeclarationFrequency::Quarterly => "quarterly",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeclarationFrequency::Monthly => "Mensuelle",
            DeclarationFrequency::Quarterly => "Trimestrielle",
        }
    }

    /// The declaration period that contains `date`.
    pub fn period_of(self, date: Date) -> Period {
        match self {
            DeclarationFrequency::Monthly => Period::month_of(date),
            DeclarationFrequency::Quarterly => Period::quarter_of(date),
        }
    }

    /// The period before the one that contains `date`: the one to declare now.
    pub fn previous_period(self, date: Date) -> Period {
        self.period_of(self.period_of(date).from.add_days(-1))
    }

    /// « novembre 2026 » or « 4e trimestre 2026 ».
    pub fn period_label(self, period: Period) -> String {
        match self {
            DeclarationFrequency::Monthly => period.from.month_year_french(),
            DeclarationFrequency::Quarterly => period.quarter_label(),
        }
    }
}

/// Declarations are due by the last day of the month after the period (31 January for the
/// fourth quarter, 31 December for November). When that day is a week-end or a bank holiday
/// the URSSAF site accepts it on the next working day; we show the legal date.
pub fn deadline(period: Period) -> Date {
    period.to.add_days(1).last_of_month()
}

/// The boxes of the URSSAF form a micro-entrepreneur's revenue goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevenueCategory {
    Goods,
    ServicesBic,
    ServicesBnc,
}

impl RevenueCategory {
    pub const ALL: [RevenueCategory; 3] =
        [RevenueCategory::Goods, RevenueCategory::ServicesBic, RevenueCategory::ServicesBnc];

    pub fn code(self) -> &'static str {
        match self {
            RevenueCategory::Goods => "goods",
            RevenueCategory::ServicesBic => "services_bic",
            RevenueCategory::ServicesBnc => "services_bnc",
        }
    }

    /// As the URSSAF form words it.
    pub fn label(self) -> &'static str {
        match self {
            RevenueCategory::Goods => "Ventes de marchandises (BIC)",
            RevenueCategory::ServicesBic => "Prestations de services commerciales et artisanales (BIC)",
            RevenueCategory::ServicesBnc => "Autres prestations de services (BNC)",
        }
    }

    /// Where an invoice's revenue is declared. Goods are goods whatever the business does;
    /// services follow the business's own activity. An invoice mixing both goes with the
    /// business's main activity (the invoice does not tell each line's nature apart).
    pub fn of(operation: OperationNature, activity: Activity) -> Self {
        match (operation, activity) {
            (OperationNature::Goods, _) | (OperationNature::Mixed, Activity::Goods) => RevenueCategory::Goods,
            (_, Activity::LiberalBnc) => RevenueCategory::ServicesBnc,
            _ => RevenueCategory::ServicesBic,
        }
    }

    /// Counted against the services ceilings (83 600 €, VAT 37 500 €) rather than the goods ones.
    pub fn is_services(self) -> bool {
        self != RevenueCategory::Goods
    }
}

/// The part of a payment that is revenue excluding VAT, in proportion to its invoice's totals
/// (a micro-entrepreneur declares revenue HT). Rounded half up to the cent.
pub fn revenue_excluding_vat(amount: Money, total_ht: Money, total_ttc: Money) -> Money {
    if total_ttc.cents() <= 0 || total_ht == total_ttc {
        return amount;
    }
    let (a, ht, ttc) =
        (i128::from(amount.cents()), i128::from(total_ht.cents()), i128::from(total_ttc.cents()));
    let share = (2 * a.abs() * ht + ttc) / (2 * ttc);
    Money::from_cents((a.signum() * share) as i64)
}

/// Whole euros, as the URSSAF form takes them: under 50 cents rounds down, 50 and over up
/// (negative amounts mirror positive ones).
pub fn whole_euros(amount: Money) -> i64 {
    let cents = amount.cents();
    let euros = (cents.abs() + 50) / 100;
    if cents < 0 {
        -euros
    } else {
        euros
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn m(cents: i64) -> Money {
        Money::from_cents(cents)
    }

    #[test]
    fn rounding_to_the_euro() {
        assert_eq!(whole_euros(m(123_449)), 1_234);
        assert_eq!(whole_euros(m(123_450)), 1_235);
        assert_eq!(whole_euros(m(49)), 0);
        assert_eq!(whole_euros(m(50)), 1);
        assert_eq!(whole_euros(m(-150)), -2);
        assert_eq!(whole_euros(m(0)), 0);
    }

    #[test]
    fn revenue_excludes_vat_in_proportion() {
        // Franchise: no VAT, the whole amount.
        assert_eq!(revenue_excluding_vat(m(12_345), m(50_000), m(50_000)), m(12_345));
        // 20 %: 120,00 € paid on a 1 000 € HT / 1 200 € TTC invoice is 100,00 € HT.
        assert_eq!(revenue_excluding_vat(m(12_000), m(100_000), m(120_000)), m(10_000));
        // 10,00 € on 20 %: 8,333… rounds to 8,33; 10,01 € gives 8,341… → 8,34.
        assert_eq!(revenue_excluding_vat(m(1_000), m(100), m(120)), m(833));
        assert_eq!(revenue_excluding_vat(m(1_001), m(100), m(120)), m(834));
        // A refund mirrors a payment.
        assert_eq!(revenue_excluding_vat(m(-12_000), m(100_000), m(120_000)), m(-10_000));
        assert_eq!(revenue_excluding_vat(m(-1_000), m(100), m(120)), m(-833));
    }

    #[test]
    fn categories_follow_the_operation_then_the_activity() {
        use Activity as A;
        use OperationNature as O;
        use RevenueCategory as C;
        assert_eq!(C::of(O::Goods, A::LiberalBnc), C::Goods);
        assert_eq!(C::of(O::Services, A::Goods), C::ServicesBic);
        assert_eq!(C::of(O::Services, A::ServicesBic), C::ServicesBic);
        assert_eq!(C::of(O::Services, A::LiberalBnc), C::ServicesBnc);
        assert_eq!(C::of(O::Mixed, A::Goods), C::Goods);
        assert_eq!(C::of(O::Mixed, A::LiberalBnc), C::ServicesBnc);
    }

    #[test]
    fn periods_and_deadlines() {
        let monthly = DeclarationFrequency::Monthly;
        let quarterly = DeclarationFrequency::Quarterly;
        let today = d("2026-11-28");
        assert_eq!(monthly.previous_period(today), Period::month_of(d("2026-10-01")));
        assert_eq!(quarterly.previous_period(today), Period::quarter_of(d("2026-07-01")));
        assert_eq!(quarterly.previous_period(d("2026-02-10")), Period::quarter_of(d("2025-12-31")));
        assert_eq!(monthly.previous_period(d("2026-01-05")), Period::month_of(d("2025-12-05")));
        assert_eq!(deadline(Period::month_of(d("2026-10-15"))), d("2026-11-30"));
        assert_eq!(deadline(Period::month_of(d("2026-01-15"))), d("2026-02-28"));
        assert_eq!(deadline(Period::month_of(d("2026-12-15"))), d("2027-01-31"));
        assert_eq!(deadline(Period::quarter_of(d("2026-02-01"))), d("2026-04-30"));
        assert_eq!(deadline(Period::quarter_of(d("2026-08-01"))), d("2026-10-31"));
        assert_eq!(deadline(Period::quarter_of(d("2026-11-28"))), d("2027-01-31"));
        assert_eq!(quarterly.period_label(quarterly.period_of(today)), "4e trimestre 2026");
        assert_eq!(monthly.period_label(monthly.period_of(today)), "novembre 2026");
    }
}
