//! Quotes (« devis »): where a quote stands, how long the client may answer it, the deposit it
//! asks for, the deposit invoice that bills it and the final invoice that deducts it. Pure
//! rules, shared by the editor in the browser and the server.
//!
//! Deposits follow the quote's VAT: the deposit invoice splits its amount over the quote's VAT
//! rates in proportion to each rate's share of the total, and the final invoice takes the
//! quote's lines with each deposit line deducted at its own rate. What the client owes in the
//! end is the quote's total less the deposits (to the cent when one VAT rate is used; with
//! several, each rate's VAT is rounded on each invoice, as the law computes it per invoice).

use super::date::Date;
use super::invoice::{validate_lines, LineInput, OperationNature};
use super::invoice_lines::{totals, InvoiceLine, Quantity, Totals, VatRate};
use super::money::{div_round_half_away, Money};
use super::FieldErrors;
use serde::{Deserialize, Serialize};

/// A quote as the editor holds it. Saved as is for drafts, so nothing typed is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuoteInput {
    pub client_id: Option<i64>,
    /// The quote's date.
    pub date: String,
    /// The last day the client may accept it.
    pub valid_until: String,
    pub operation: String,
    pub lines: Vec<LineInput>,
    /// A share of the total asked as a deposit, in percent (« 30 »); empty for none.
    pub deposit_percent: String,
    /// Or a fixed deposit in euros; empty for none.
    pub deposit_amount: String,
    pub notes: String,
    /// Terms printed above « Bon pour accord » (delays, materials, what is not included).
    pub conditions: String,
}

impl Default for QuoteInput {
    fn default() -> Self {
        Self {
            client_id: None,
            date: String::new(),
            valid_until: String::new(),
            operation: OperationNature::Services.code().into(),
            lines: vec![LineInput::default()],
            deposit_percent: String::new(),
            deposit_amount: String::new(),
            notes: String::new(),
            conditions: String::new(),
        }
    }
}

/// A quote ready to be sent: what its PDF and its acceptance rest on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidQuote {
    pub client_id: i64,
    pub date: Date,
    pub valid_until: Date,
    pub operation: OperationNature,
    pub lines: Vec<InvoiceLine>,
    pub totals: Totals,
    pub deposit: Deposit,
    /// What the deposit comes to on the total.
    pub deposit_amount: Money,
    pub notes: String,
    pub conditions: String,
}

impl QuoteInput {
    /// The longest notes and conditions.
    pub const MAX_TEXT: usize = 5_000;

    /// A new quote dated `today`, valid for [`DEFAULT_VALIDITY_DAYS`].
    pub fn new_on(today: Date) -> Self {
        Self {
            date: today.to_string(),
            valid_until: default_valid_until(today).to_string(),
            ..Self::default()
        }
    }

    /// Totals of the lines that read, for a draft's preview.
    pub fn preview_totals(&self, franchise: bool) -> Totals {
        let lines: Vec<InvoiceLine> = self.lines.iter().filter_map(|l| l.parse(franchise).ok()).collect();
        totals(&lines)
    }

    /// Every check a quote must pass before it is numbered and sent. Field names of lines read
    /// `lines.{index}.{field}`, as on invoices.
    pub fn validate(&self, franchise: bool) -> Result<ValidQuote, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.client_id.is_none() {
            errors.push("client_id", "Choisissez le client.");
        }
        let date = errors.check("date", Date::parse(&self.date));
        let valid_until = errors.check("valid_until", Date::parse(&self.valid_until));
        let valid_until = match (date, valid_until) {
            (Some(date), Some(until)) => errors.check("valid_until", check_valid_until(date, until)),
            _ => None,
        };
        let operation = OperationNature::from_code(&self.operation);
        if operation.is_none() {
            errors.push("operation", "Choisissez la nature de l'opération.");
        }
        let (lines, totals) = validate_lines(&self.lines, franchise, false, &mut errors);
        let deposit = match Deposit::parse(&self.deposit_percent, &self.deposit_amount) {
            Ok(deposit) => errors.check("deposit_amount", deposit.check(totals.ttc)),
            Err((field, message)) => {
                errors.push(field, message);
                None
            }
        };
        for (field, text) in [("notes", &self.notes), ("conditions", &self.conditions)] {
            if text.chars().count() > Self::MAX_TEXT {
                errors.push(field, "5 000 caractères au maximum.");
            }
        }
        match (self.client_id, date, valid_until, operation, deposit) {
            (Some(client_id), Some(date), Some(valid_until), Some(operation), Some(deposit))
                if errors.is_empty() =>
            {
                Ok(ValidQuote {
                    client_id,
                    date,
                    valid_until,
                    operation,
                    deposit_amount: deposit.amount(totals.ttc),
                    lines,
                    totals,
                    deposit,
                    notes: self.notes.trim().to_owned(),
                    conditions: self.conditions.trim().to_owned(),
                })
            }
            _ => Err(errors),
        }
    }
}

/// Where a quote stands. « Expiré » is read from the validity date, never stored (see
/// [`QuoteStatus::shown`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    Draft,
    Sent,
    /// The client opened its page.
    Viewed,
    Accepted,
    Refused,
    Expired,
    /// Its final invoice was made.
    Invoiced,
}

/// What happens to a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteEvent {
    /// Sent by e-mail or finalised: it takes its number and is frozen.
    Send,
    View,
    Accept,
    Refuse,
    Invoice,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 7] = [
        QuoteStatus::Draft,
        QuoteStatus::Sent,
        QuoteStatus::Viewed,
        QuoteStatus::Accepted,
        QuoteStatus::Refused,
        QuoteStatus::Expired,
        QuoteStatus::Invoiced,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Viewed => "viewed",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Refused => "refused",
            QuoteStatus::Expired => "expired",
            QuoteStatus::Invoiced => "invoiced",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "Brouillon",
            QuoteStatus::Sent => "Envoyé",
            QuoteStatus::Viewed => "Consulté",
            QuoteStatus::Accepted => "Accepté",
            QuoteStatus::Refused => "Refusé",
            QuoteStatus::Expired => "Expiré",
            QuoteStatus::Invoiced => "Facturé",
        }
    }

    /// Whether the client's answer is still awaited.
    pub fn awaits_answer(self) -> bool {
        matches!(self, QuoteStatus::Sent | QuoteStatus::Viewed)
    }

    /// The status after `event`, or `None` when the event cannot happen now. Sending again or
    /// opening the page again changes nothing.
    pub fn next(self, event: QuoteEvent) -> Option<QuoteStatus> {
        use QuoteEvent as E;
        use QuoteStatus as S;
        match (self, event) {
            (S::Draft, E::Send) => Some(S::Sent),
            (S::Sent | S::Viewed, E::Send) => Some(self),
            (S::Sent, E::View) => Some(S::Viewed),
            (S::Viewed | S::Accepted | S::Refused | S::Invoiced, E::View) => Some(self),
            (S::Sent | S::Viewed, E::Accept) => Some(S::Accepted),
            (S::Sent | S::Viewed, E::Refuse) => Some(S::Refused),
            (S::Accepted, E::Invoice) => Some(S::Invoiced),
            _ => None,
        }
    }

    /// The status as shown on `today`: a quote still awaiting an answer past its validity
    /// date is « expiré ».
    pub fn shown(self, valid_until: Date, today: Date) -> QuoteStatus {
        if self.awaits_answer() && today > valid_until {
            QuoteStatus::Expired
        } else {
            self
        }
    }
}

/// A line of a quote's timeline, stored as JSON (tagged by `kind`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuoteHistoryEvent {
    Created,
    /// Made as a new version of the quote numbered `number`.
    NewVersionOf {
        number: String,
    },
    Sent {
        number: String,
    },
    /// The client opened its page (the first time).
    Viewed,
    Accepted {
        full_name: String,
    },
    Refused {
        reason: String,
    },
    /// Replaced by the newer version numbered `by`, sent in its place.
    Replaced {
        by: String,
    },
    Invoiced,
}

impl QuoteHistoryEvent {
    /// How the timeline reads it.
    pub fn label(&self) -> String {
        match self {
            Self::Created => "Brouillon créé".into(),
            Self::NewVersionOf { number } => format!("Nouvelle version du devis {number}"),
            Self::Sent { number } => format!("Envoyé sous le numéro {number}"),
            Self::Viewed => "Consulté par le client".into(),
            Self::Accepted { full_name } => format!("Accepté par {full_name}"),
            Self::Refused { reason } if reason.is_empty() => "Refusé par le client".into(),
            Self::Refused { reason } => format!("Refusé par le client : « {reason} »"),
            Self::Replaced { by } => format!("Remplacé par le devis {by}"),
            Self::Invoiced => "Facturé".into(),
        }
    }

    /// What a move to `to` writes in the timeline (the answer's name or reason with it).
    pub fn on_status(to: QuoteStatus, full_name: &str, reason: &str) -> Option<Self> {
        match to {
            QuoteStatus::Viewed => Some(Self::Viewed),
            QuoteStatus::Accepted => Some(Self::Accepted { full_name: full_name.to_owned() }),
            QuoteStatus::Refused => Some(Self::Refused { reason: reason.to_owned() }),
            QuoteStatus::Invoiced => Some(Self::Invoiced),
            QuoteStatus::Draft | QuoteStatus::Sent | QuoteStatus::Expired => None,
        }
    }
}

/// How long a new quote may be accepted, in days from its date.
pub const DEFAULT_VALIDITY_DAYS: i64 = 30;
/// The longest validity a quote may give.
pub const MAX_VALIDITY_DAYS: i64 = 365;

/// The validity date a new quote dated `date` proposes.
pub fn default_valid_until(date: Date) -> Date {
    date.add_days(DEFAULT_VALIDITY_DAYS)
}

/// A validity date for a quote dated `date`: on or after it, within a year.
pub fn check_valid_until(date: Date, valid_until: Date) -> Result<Date, String> {
    if valid_until < date {
        return Err("La date de validité ne peut pas précéder la date du devis.".into());
    }
    if date.days_until(valid_until) > MAX_VALIDITY_DAYS {
        return Err("Un devis reste valable un an au plus : choisissez une date plus proche.".into());
    }
    Ok(valid_until)
}

/// Whether the client may accept or refuse the quote on `today`, or why not (in French, as the
/// acceptance page says it).
pub fn may_answer(status: QuoteStatus, valid_until: Date, replaced: bool, today: Date) -> Result<(), String> {
    if replaced {
        return Err(
            "Ce devis a été remplacé par une nouvelle version : utilisez le lien du devis le plus récent."
                .into(),
        );
    }
    match status.shown(valid_until, today) {
        QuoteStatus::Sent | QuoteStatus::Viewed => Ok(()),
        QuoteStatus::Expired => Err(format!(
            "Ce devis n'est plus valable depuis le {} : demandez-en une nouvelle version.",
            valid_until.add_days(1).french()
        )),
        QuoteStatus::Accepted | QuoteStatus::Invoiced => Err("Ce devis a déjà été accepté.".into()),
        QuoteStatus::Refused => Err("Ce devis a été refusé.".into()),
        QuoteStatus::Draft => Err("Ce devis n'a pas encore été envoyé.".into()),
    }
}

/// The deposit (« acompte ») a quote asks for on acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Deposit {
    #[default]
    None,
    /// A share of the total TTC, in basis points (3 000 = 30 %).
    Percent(u32),
    /// A fixed amount TTC.
    Amount(Money),
}

impl Deposit {
    /// The deposit as typed: a percentage (« 30 », « 12,5 ») or an amount in euros; both empty
    /// for none.
    pub fn parse(percent: &str, amount: &str) -> Result<Deposit, (&'static str, String)> {
        match (percent.trim(), amount.trim()) {
            ("", "") => Ok(Deposit::None),
            (p, "") => super::business_profile::parse_rate_bp(p).map(Deposit::Percent).map_err(|_| {
                ("deposit_percent", "Indiquez un pourcentage entre 0,01 et 100, par exemple 30.".into())
            }),
            ("", a) => match Money::parse_euros(a) {
                Ok(m) if m.cents() > 0 => Ok(Deposit::Amount(m)),
                Ok(_) => Err(("deposit_amount", "L'acompte doit être supérieur à zéro.".into())),
                Err(e) => Err(("deposit_amount", e)),
            },
            _ => Err(("deposit_percent", "Choisissez un pourcentage ou un montant, pas les deux.".into())),
        }
    }

    /// What the deposit comes to on a quote of `total` TTC: a percentage rounded to the cent
    /// (half away from zero), never more than the total.
    pub fn amount(self, total: Money) -> Money {
        let asked = match self {
            Deposit::None => Money::ZERO,
            Deposit::Percent(bp) => Money::from_cents(
                i64::try_from(div_round_half_away(i128::from(total.cents()) * i128::from(bp), 10_000))
                    .unwrap_or(i64::MAX),
            ),
            Deposit::Amount(amount) => amount,
        };
        asked.min(total).max(Money::ZERO)
    }

    /// Refuses a fixed deposit above the quote's total (a percentage cannot pass it).
    pub fn check(self, total: Money) -> Result<Deposit, String> {
        match self {
            Deposit::Amount(amount) if amount > total => {
                Err(format!("L'acompte ne peut pas dépasser le total du devis ({total})."))
            }
            other => Ok(other),
        }
    }
}

/// The lines of the deposit invoice for `deposit` TTC on a quote of `quote` totals: one line
/// per VAT rate the quote uses, each rate's share of the deposit in proportion to its share of
/// the quote's TTC (the cents left by rounding go to the largest shares), priced HT so that
/// the rate's VAT brings it back to its share.
pub fn deposit_lines(quote_lines: &[InvoiceLine], deposit: Money, label: &str) -> Vec<InvoiceLine> {
    let quote = totals(quote_lines);
    let shares = rate_shares(quote_lines, &quote);
    let total_ttc = quote.ttc.cents();
    if total_ttc <= 0 || deposit.cents() <= 0 {
        return Vec::new();
    }
    // Largest remainder: each rate gets the floor of its proportional share, then the cents
    // left over go to the largest remainders, so the shares add up to the deposit exactly.
    let mut parts: Vec<(VatRate, i64, i128)> = shares
        .iter()
        .map(|&(rate, ttc)| {
            let exact = i128::from(deposit.cents()) * i128::from(ttc);
            let floor = exact / i128::from(total_ttc);
            (rate, i64::try_from(floor).unwrap_or(0), exact % i128::from(total_ttc))
        })
        .collect();
    let left = deposit.cents() - parts.iter().map(|p| p.1).sum::<i64>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].2.cmp(&parts[a].2));
    for i in order.into_iter().cycle().take(usize::try_from(left).unwrap_or(0)) {
        parts[i].1 += 1;
    }
    let several = parts.len() > 1;
    parts
        .into_iter()
        .filter(|p| p.1 > 0)
        .map(|(rate, ttc, _)| InvoiceLine {
            description: if several { format!("{label} (TVA {})", rate.label()) } else { label.to_owned() },
            quantity: Quantity::from_thousandths(1_000),
            unit: String::new(),
            unit_price: Money::from_cents(
                i64::try_from(div_round_half_away(i128::from(ttc) * 10_000, i128::from(10_000 + rate.bp())))
                    .unwrap_or(0),
            ),
            vat_rate: rate,
            discount_bp: 0,
        })
        .collect()
}

/// Each VAT rate the quote uses with its TTC (base plus that rate's VAT), lowest rate first.
fn rate_shares(lines: &[InvoiceLine], quote: &Totals) -> Vec<(VatRate, i64)> {
    VatRate::ALL
        .into_iter()
        .filter(|&rate| lines.iter().any(|l| l.vat_rate == rate))
        .map(|rate| {
            let base: Money = lines.iter().filter(|l| l.vat_rate == rate).map(InvoiceLine::total_ht).sum();
            let vat = quote.vat.iter().find(|v| v.rate == rate).map_or(Money::ZERO, |v| v.vat);
            (rate, (base + vat).cents())
        })
        .collect()
}

/// The lines a final invoice adds to the quote's to deduct one deposit invoice: each of its
/// lines again, negative, under « Acompte versé le … — facture … ».
pub fn deduction_lines(
    deposit_lines: &[InvoiceLine],
    invoice_number: &str,
    paid_on: Option<Date>,
) -> Vec<InvoiceLine> {
    let label = match paid_on {
        Some(date) => format!("Acompte versé le {} — facture {invoice_number}", date.french()),
        None => format!("Acompte facturé — facture {invoice_number}"),
    };
    let several = deposit_lines.len() > 1;
    deposit_lines
        .iter()
        .map(|line| InvoiceLine {
            description: if several {
                format!("{label} (TVA {})", line.vat_rate.label())
            } else {
                label.clone()
            },
            unit_price: -line.unit_price,
            ..line.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::invoice_status::{document_number, QUOTE_PREFIX};
    use QuoteEvent as E;
    use QuoteStatus as S;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn line(price_cents: i64, rate: VatRate) -> InvoiceLine {
        InvoiceLine {
            description: "Rénovation".into(),
            quantity: Quantity::from_thousandths(1_000),
            unit: String::new(),
            unit_price: Money::from_cents(price_cents),
            vat_rate: rate,
            discount_bp: 0,
        }
    }

    fn draft() -> QuoteInput {
        let line = LineInput {
            description: "Pose de parquet".into(),
            unit_price: "1 000".into(),
            ..LineInput::default()
        };
        QuoteInput { client_id: Some(3), lines: vec![line], ..QuoteInput::new_on(date("2026-11-02")) }
    }

    #[test]
    fn a_complete_quote_validates_with_its_deposit() {
        let valid = QuoteInput { deposit_percent: "30".into(), ..draft() }.validate(true).expect("valid");
        assert_eq!(valid.valid_until, date("2026-12-02"), "30 days by default");
        assert_eq!(valid.totals.ttc, Money::from_cents(100_000));
        assert_eq!(
            (valid.deposit, valid.deposit_amount),
            (Deposit::Percent(3_000), Money::from_cents(30_000))
        );

        let too_much = QuoteInput { deposit_amount: "1 500".into(), ..draft() }.validate(true).unwrap_err();
        assert!(too_much.get("deposit_amount").unwrap().contains("1\u{202f}000,00"), "{too_much:?}");
        let broken = QuoteInput {
            client_id: None,
            valid_until: "2026-10-01".into(),
            lines: Vec::new(),
            deposit_percent: "trente".into(),
            ..draft()
        }
        .validate(true)
        .unwrap_err();
        for field in ["client_id", "valid_until", "lines", "deposit_percent"] {
            assert!(broken.get(field).is_some(), "{field}: {broken:?}");
        }
    }

    #[test]
    fn quotes_have_their_own_numbers_and_statuses() {
        assert_eq!(document_number(QUOTE_PREFIX, 2026, 7), "D-2026-0007");
        for status in S::ALL {
            assert_eq!(S::from_code(status.code()), Some(status));
        }
        assert_eq!(S::Draft.next(E::Send), Some(S::Sent));
        assert_eq!(S::Sent.next(E::View), Some(S::Viewed));
        assert_eq!(S::Viewed.next(E::Accept), Some(S::Accepted));
        assert_eq!(S::Sent.next(E::Refuse), Some(S::Refused));
        assert_eq!(S::Accepted.next(E::Invoice), Some(S::Invoiced));
        assert_eq!(S::Accepted.next(E::View), Some(S::Accepted), "opening an accepted quote changes nothing");
        assert_eq!(S::Draft.next(E::Accept), None, "a draft cannot be accepted");
        assert_eq!(S::Refused.next(E::Accept), None);
        assert_eq!(S::Accepted.next(E::Refuse), None);
        assert_eq!(S::Sent.next(E::Invoice), None, "only an accepted quote is invoiced");
    }

    #[test]
    fn the_timeline_reads_in_french() {
        let accepted = QuoteHistoryEvent::on_status(S::Accepted, "Paul Martin", "").unwrap();
        assert_eq!(accepted.label(), "Accepté par Paul Martin");
        let refused = QuoteHistoryEvent::on_status(S::Refused, "", "trop cher").unwrap();
        assert_eq!(refused.label(), "Refusé par le client : « trop cher »");
        assert_eq!(QuoteHistoryEvent::on_status(S::Sent, "", ""), None, "sending writes its own line");
        let json = serde_json::to_string(&QuoteHistoryEvent::Sent { number: "D-2026-0001".into() }).unwrap();
        assert_eq!(json, r#"{"kind":"sent","number":"D-2026-0001"}"#);
    }

    #[test]
    fn a_quote_expires_after_its_validity_date() {
        let issued = date("2026-11-02");
        let until = default_valid_until(issued);
        assert_eq!(until, date("2026-12-02"));
        assert_eq!(S::Sent.shown(until, date("2026-12-02")), S::Sent, "valid on its last day");
        assert_eq!(S::Viewed.shown(until, date("2026-12-03")), S::Expired);
        assert_eq!(S::Accepted.shown(until, date("2027-03-01")), S::Accepted, "an answer stays");
        assert!(may_answer(S::Viewed, until, false, date("2026-12-02")).is_ok());
        let late = may_answer(S::Sent, until, false, date("2026-12-03")).unwrap_err();
        assert!(late.contains("03/12/2026"), "{late}");
        assert!(may_answer(S::Sent, until, true, date("2026-11-03")).unwrap_err().contains("remplacé"));
        assert!(may_answer(S::Accepted, until, false, date("2026-11-03")).is_err());
        assert!(check_valid_until(issued, date("2026-11-01")).is_err());
        assert!(check_valid_until(issued, date("2027-11-03")).is_err());
        assert_eq!(check_valid_until(issued, issued), Ok(issued));
    }

    #[test]
    fn a_deposit_is_rounded_to_the_cent_and_never_above_the_total() {
        let total = Money::from_cents(100_001);
        assert_eq!(Deposit::Percent(3_000).amount(total), Money::from_cents(30_000), "300,003 € → 300,00 €");
        assert_eq!(
            Deposit::Percent(3_333).amount(Money::from_cents(150)),
            Money::from_cents(50),
            "49,995 → 50"
        );
        assert_eq!(Deposit::Percent(10_000).amount(total), total);
        assert_eq!(Deposit::Amount(Money::from_cents(200_000)).amount(total), total, "capped");
        assert!(Deposit::Amount(Money::from_cents(200_000)).check(total).is_err());
        assert_eq!(Deposit::None.amount(total), Money::ZERO);
        assert_eq!(Deposit::parse("30", ""), Ok(Deposit::Percent(3_000)));
        assert_eq!(Deposit::parse("", "250,50"), Ok(Deposit::Amount(Money::from_cents(25_050))));
        assert_eq!(Deposit::parse(" ", ""), Ok(Deposit::None));
        assert_eq!(Deposit::parse("130", "").unwrap_err().0, "deposit_percent");
        assert_eq!(Deposit::parse("", "0").unwrap_err().0, "deposit_amount");
        assert_eq!(Deposit::parse("30", "100").unwrap_err().0, "deposit_percent");
    }

    #[test]
    fn a_deposit_invoice_follows_the_quote_s_vat() {
        // Without VAT (the franchise): one line, the deposit itself.
        let franchise = [line(100_000, VatRate::Zero)];
        let lines =
            deposit_lines(&franchise, Money::from_cents(30_000), "Acompte de 30 % sur le devis D-2026-0001");
        assert_eq!(lines.len(), 1);
        assert_eq!(totals(&lines).ttc, Money::from_cents(30_000));
        // With two rates, the deposit splits in proportion and adds up.
        let mixed = [line(100_000, VatRate::Normal), line(50_000, VatRate::Reduced)];
        let quote = totals(&mixed);
        let deposit = Deposit::Percent(3_000).amount(quote.ttc);
        let lines = deposit_lines(&mixed, deposit, "Acompte");
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.description.starts_with("Acompte (TVA ")));
        let billed = totals(&lines);
        assert!((billed.ttc - deposit).cents().abs() <= 1, "{billed:?} for {deposit}");
        assert_eq!(billed.vat.len(), 2);
    }

    #[test]
    fn the_final_invoice_deducts_each_deposit() {
        let paid_on = Some(date("2026-11-15"));
        // One deposit of 30 % on a quote without VAT: 70 % remains, to the cent.
        let quote = [line(123_457, VatRate::Zero)];
        let total = totals(&quote).ttc;
        let deposit = deposit_lines(&quote, Deposit::Percent(3_000).amount(total), "Acompte");
        let mut final_lines = quote.to_vec();
        final_lines.extend(deduction_lines(&deposit, "F-2026-0003", paid_on));
        assert_eq!(final_lines[1].description, "Acompte versé le 15/11/2026 — facture F-2026-0003");
        assert_eq!(totals(&final_lines).ttc, total - totals(&deposit).ttc);
        assert_eq!(totals(&final_lines).ttc, Money::from_cents(86_420));

        // Two deposits at 20 % VAT: the final invoice's TTC is the quote's less both, to the cent
        // here, and never more than a cent per rate away.
        let quote = [line(250_000, VatRate::Normal)];
        let total = totals(&quote).ttc;
        let first = deposit_lines(&quote, Deposit::Percent(3_000).amount(total), "Acompte 1");
        let second =
            deposit_lines(&quote, Deposit::Amount(Money::from_cents(50_000)).amount(total), "Acompte 2");
        let mut final_lines = quote.to_vec();
        final_lines.extend(deduction_lines(&first, "F-2026-0004", paid_on));
        final_lines.extend(deduction_lines(&second, "F-2026-0005", None));
        assert!(final_lines[2].description.starts_with("Acompte facturé — facture F-2026-0005"));
        let final_ttc = totals(&final_lines).ttc;
        let deposits = totals(&first).ttc + totals(&second).ttc;
        assert_eq!(deposits, Money::from_cents(140_000), "90 000 + 50 000");
        assert!((final_ttc - (total - deposits)).cents().abs() <= 1, "{final_ttc} vs {total} − {deposits}");
        assert_eq!(final_ttc, Money::from_cents(160_000));
    }

    proptest::proptest! {
        /// Whatever the quote and the percentage, the deposit invoice bills the deposit and the
        /// final invoice the rest, within a cent per VAT rate (each invoice rounds its own VAT).
        #[test]
        fn deposits_and_the_final_invoice_add_up_to_the_quote(
            prices in proptest::collection::vec((1i64..10_000_000, 0usize..4), 1..6),
            bp in 1u32..=10_000,
        ) {
            let quote: Vec<_> = prices.iter().map(|&(cents, r)| line(cents, VatRate::ALL[r])).collect();
            let total = totals(&quote).ttc;
            let rates = VatRate::ALL.iter().filter(|r| quote.iter().any(|l| l.vat_rate == **r)).count() as i64;
            let asked = Deposit::Percent(bp).amount(total);
            let deposit = deposit_lines(&quote, asked, "Acompte");
            let billed = totals(&deposit).ttc;
            proptest::prop_assert!((billed - asked).cents().abs() <= rates, "{billed} for {asked}");
            let mut final_lines = quote.clone();
            final_lines.extend(deduction_lines(&deposit, "F-2026-0001", None));
            let rest = totals(&final_lines).ttc;
            proptest::prop_assert!((rest + billed - total).cents().abs() <= rates, "{rest} + {billed} vs {total}");
        }
    }
}
