//! The revenue ceilings a micro-entrepreneur watches: the micro regime's (art. 50-0 and 102 ter
//! of the CGI) and the VAT franchise's (art. 293 B of the CGI), for revenue received in the
//! calendar year, excluding VAT.

use super::declaration::RevenueCategory;
use super::{Activity, Money};
use serde::{Deserialize, Serialize};

/// The values in force from 1 January of `from_year`, in euros.
struct Ceilings {
    from_year: i64,
    micro_goods: i64,
    micro_services: i64,
    vat_goods: i64,
    vat_goods_raised: i64,
    vat_services: i64,
    vat_services_raised: i64,
}

/// Newest last. Sources:
/// - micro regime 2023–2025: 188 700 € / 77 700 € (arrêté of the 2023 triennial revision,
///   art. 50-0 and 102 ter CGI); 2026–2028: 203 100 € / 83 600 € (triennial revision published
///   by the URSSAF and Service-Public Entreprendre in February 2026, in force since 1 January 2026);
/// - VAT franchise 2023–2024: 91 900 € (101 000 € raised) / 36 800 € (39 100 €), art. 293 B CGI;
///   from 2025: 85 000 € (93 500 €) / 37 500 € (41 250 €), loi n° 2025-127 de finances pour
///   2025, art. 30, unchanged for 2026.
const TABLE: [Ceilings; 3] = [
    Ceilings {
        from_year: 2023,
        micro_goods: 188_700,
        micro_services: 77_700,
        vat_goods: 91_900,
        vat_goods_raised: 101_000,
        vat_services: 36_800,
        vat_services_raised: 39_100,
    },
    Ceilings {
        from_year: 2025,
        micro_goods: 188_700,
        micro_services: 77_700,
        vat_goods: 85_000,
        vat_goods_raised: 93_500,
        vat_services: 37_500,
        vat_services_raised: 41_250,
    },
    Ceilings {
        from_year: 2026,
        micro_goods: 203_100,
        micro_services: 83_600,
        vat_goods: 85_000,
        vat_goods_raised: 93_500,
        vat_services: 37_500,
        vat_services_raised: 41_250,
    },
];

/// From this share of a ceiling on, the gauge warns.
const WARN_PERCENT: i64 = 80;

fn ceilings(year: i64) -> &'static Ceilings {
    TABLE.iter().rev().find(|c| c.from_year <= year).unwrap_or(&TABLE[0])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GaugeLevel {
    Fine,
    Close,
    Over,
}

/// One ceiling and where this year's revenue stands against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gauge {
    pub label: String,
    pub revenue_cents: i64,
    pub ceiling_cents: i64,
    /// 0 to 100 and beyond.
    pub percent: i64,
    pub level: GaugeLevel,
    /// What it means, in French.
    pub note: String,
}

/// Revenue received (HT) this year by category, and what the business's ceilings say of it.
/// A business in the VAT franchise also sees the franchise's thresholds.
pub fn gauges(
    year: i64,
    activity: Activity,
    franchise: bool,
    revenue: &[(RevenueCategory, Money)],
) -> Vec<Gauge> {
    let c = ceilings(year);
    let total: i64 = revenue.iter().map(|(_, m)| m.cents()).sum();
    let services: i64 = revenue.iter().filter(|(k, _)| k.is_services()).map(|(_, m)| m.cents()).sum();
    let sells_goods =
        activity == Activity::Goods || revenue.iter().any(|(k, m)| !k.is_services() && m.cents() > 0);
    let mut gauges = Vec::new();
    if sells_goods {
        gauges.push(micro("Plafond micro-entreprise (ventes)", total, c.micro_goods));
        gauges.push(micro("dont prestations de services", services, c.micro_services));
    } else {
        gauges.push(micro("Plafond micro-entreprise (services)", total, c.micro_services));
    }
    if franchise {
        if sells_goods {
            gauges.push(vat("Franchise de TVA (ventes)", total, c.vat_goods, c.vat_goods_raised));
            gauges.push(vat(
                "Franchise de TVA (dont services)",
                services,
                c.vat_services,
                c.vat_services_raised,
            ));
        } else {
            gauges.push(vat("Franchise de TVA (services)", total, c.vat_services, c.vat_services_raised));
        }
    }
    gauges
}

fn gauge(label: &str, revenue: i64, ceiling_euros: i64, level: GaugeLevel, note: String) -> Gauge {
    let ceiling = ceiling_euros * 100;
    Gauge {
        label: label.into(),
        revenue_cents: revenue,
        ceiling_cents: ceiling,
        percent: revenue.max(0) * 100 / ceiling,
        level,
        note,
    }
}

fn level(revenue: i64, ceiling: i64) -> GaugeLevel {
    if revenue > ceiling {
        GaugeLevel::Over
    } else if revenue * 100 >= ceiling * WARN_PERCENT {
        GaugeLevel::Close
    } else {
        GaugeLevel::Fine
    }
}

fn micro(label: &str, revenue: i64, ceiling_euros: i64) -> Gauge {
    let level = level(revenue, ceiling_euros * 100);
    let note = match level {
        GaugeLevel::Fine => "Vous êtes loin du plafond.".to_string(),
        GaugeLevel::Close => "Attention : vous approchez du plafond du régime micro-entreprise.".to_string(),
        GaugeLevel::Over => "Plafond dépassé : si cela se reproduit l'an prochain, vous quitterez le régime \
                             micro-entreprise au 1er janvier suivant."
            .to_string(),
    };
    gauge(label, revenue, ceiling_euros, level, note)
}

fn vat(label: &str, revenue: i64, threshold_euros: i64, raised_euros: i64) -> Gauge {
    let level = level(revenue, threshold_euros * 100);
    let raised = Money::from_cents(raised_euros * 100);
    let note = match level {
        GaugeLevel::Fine => "Vous restez en franchise de TVA.".to_string(),
        GaugeLevel::Close => format!(
            "Attention : vous approchez du seuil de la franchise. Au-delà de {raised}, la TVA est due dès le jour du dépassement."
        ),
        GaugeLevel::Over if revenue > raised_euros * 100 => {
            format!("Seuil majoré de {raised} dépassé : la TVA est due depuis le jour du dépassement.")
        }
        GaugeLevel::Over => format!(
            "Seuil dépassé : vous devrez facturer la TVA à partir du 1er janvier prochain, et dès maintenant au-delà de {raised}."
        ),
    };
    gauge(label, revenue, threshold_euros, level, note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euros(e: i64) -> Money {
        Money::from_cents(e * 100)
    }

    #[test]
    fn the_table_is_dated() {
        assert_eq!(ceilings(2024).micro_services, 77_700);
        assert_eq!(ceilings(2024).vat_services, 36_800);
        assert_eq!(ceilings(2025).vat_services, 37_500);
        assert_eq!(ceilings(2026).micro_services, 83_600);
        assert_eq!(ceilings(2026).micro_goods, 203_100);
        assert_eq!(ceilings(2030).micro_goods, 203_100, "the newest values stay until replaced");
    }

    #[test]
    fn a_services_business_in_franchise() {
        let g = gauges(2026, Activity::ServicesBic, true, &[(RevenueCategory::ServicesBic, euros(30_000))]);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].ceiling_cents, 8_360_000);
        assert_eq!(g[0].level, GaugeLevel::Fine);
        assert_eq!(g[0].percent, 35);
        assert_eq!(g[1].label, "Franchise de TVA (services)");
        assert_eq!(g[1].level, GaugeLevel::Close, "30 000 € is 80 % of 37 500 €");
        assert!(g[1].note.contains("41\u{202f}250,00"), "{}", g[1].note);
    }

    #[test]
    fn over_the_threshold_and_the_raised_threshold() {
        let over = gauges(2026, Activity::LiberalBnc, true, &[(RevenueCategory::ServicesBnc, euros(40_000))]);
        assert_eq!(over[1].level, GaugeLevel::Over);
        assert!(over[1].note.contains("1er janvier prochain"));
        let raised =
            gauges(2026, Activity::LiberalBnc, true, &[(RevenueCategory::ServicesBnc, euros(42_000))]);
        assert!(raised[1].note.contains("depuis le jour du dépassement"));
        let micro =
            gauges(2026, Activity::LiberalBnc, false, &[(RevenueCategory::ServicesBnc, euros(84_000))]);
        assert_eq!(micro.len(), 1, "no VAT gauge outside the franchise");
        assert_eq!(micro[0].level, GaugeLevel::Over);
    }

    #[test]
    fn goods_count_everything_and_services_apart() {
        let g = gauges(
            2026,
            Activity::Goods,
            true,
            &[(RevenueCategory::Goods, euros(100_000)), (RevenueCategory::ServicesBic, euros(10_000))],
        );
        assert_eq!(g.len(), 4);
        assert_eq!(g[0].revenue_cents, 11_000_000);
        assert_eq!(g[1].revenue_cents, 1_000_000);
        assert_eq!(g[2].level, GaugeLevel::Over, "110 000 € is past the 85 000 € goods threshold");
        assert_eq!(g[3].level, GaugeLevel::Fine);
    }
}
