//! The livre des recettes: every payment received, and every refund as a negative line, by
//! the date the money moved. It is read from the payments and cannot be edited by hand.

use super::invoices::today;
use crate::domain::period::Period;
use crate::domain::{Date, FieldErrors, Money, OperationNature, PaymentMethod};
use crate::error::AppError;
use crate::ports::{BusinessId, ReceiptLine, RegisterDocument};
use crate::state::AppState;
use crate::views::receipts::{ReceiptView, ReceiptsView};

/// The longest period the dashboard, the register and their exports read, in years: what a
/// request may cost stays bounded.
pub const MAX_YEARS: i64 = 10;
/// The longest period of the register's PDF, in years (every line is laid out).
pub const MAX_PDF_YEARS: i64 = 1;

/// The period asked for: both dates; one alone with the rest (or the start) of its calendar year;
/// this year so far (to `today`) when both are empty. At most `max_years` long.
pub fn period(today: Date, from: &str, to: &str, max_years: i64) -> Result<Period, AppError> {
    if from.trim().is_empty() && to.trim().is_empty() {
        return Ok(Period::year_of(today).until(today));
    }
    // One end alone spans the rest of its calendar year.
    let mut errors = FieldErrors::default();
    let from = (!from.trim().is_empty()).then(|| errors.check("from", Date::parse(from))).flatten();
    let to = (!to.trim().is_empty()).then(|| errors.check("to", Date::parse(to))).flatten();
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let (from, to) = match (from, to) {
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, Period::year_of(from).to),
        (None, Some(to)) => (Period::year_of(to).from, to),
        (None, None) => unreachable!("both empty is the default period, above"),
    };
    let too_long = to >= from.add_months(12 * max_years);
    Period::new(from, to)
        .and_then(|period| {
            if too_long {
                let years = if max_years == 1 { "un an".to_owned() } else { format!("{max_years} ans") };
                Err(format!(
                    "La période ne peut pas dépasser {years} : choisissez une date de fin plus proche."
                ))
            } else {
                Ok(period)
            }
        })
        .map_err(|message| {
            let mut errors = FieldErrors::default();
            errors.push("to", message);
            errors.into()
        })
}

pub async fn lines(
    state: &AppState,
    business_id: BusinessId,
    period: Period,
) -> Result<Vec<ReceiptLine>, AppError> {
    Ok(state.store.receipt_lines(business_id, &period.from.to_string(), &period.to.to_string(), None).await?)
}

pub async fn register(
    state: &AppState,
    business_id: BusinessId,
    period: Period,
) -> Result<ReceiptsView, AppError> {
    let lines: Vec<ReceiptView> = lines(state, business_id, period).await?.iter().map(view).collect();
    Ok(ReceiptsView {
        today: today(state),
        from: period.from,
        to: period.to,
        total_cents: lines.iter().map(|l| l.amount_cents).sum(),
        lines,
    })
}

/// A stored line as the register reads it.
pub fn view(line: &ReceiptLine) -> ReceiptView {
    ReceiptView {
        // Stored dates are ISO; an unreadable one shows as the epoch rather than failing the page.
        date: Date::parse(&line.date).unwrap_or_else(|_| Date::from_unix(0)),
        invoice_id: line.invoice_id,
        invoice_number: line.invoice_number.clone(),
        client: line.client.clone(),
        nature: nature(line),
        amount_cents: line.amount.cents(),
        fee_cents: line.fee.cents(),
        // A test payment says so in every copy of the register (page, CSV, PDF, API).
        method: match PaymentMethod::received_label(&line.method) {
            label if line.test => format!("{label} (test)"),
            label => label.to_string(),
        },
        test: line.test,
    }
}

/// « Prestation de services — Site vitrine », or what a refund follows.
fn nature(line: &ReceiptLine) -> String {
    if line.amount.cents() < 0 {
        return match &line.credit_note_number {
            Some(number) => format!("Remboursement (avoir {number})"),
            None => "Remboursement".into(),
        };
    }
    let operation = OperationNature::from_code(&line.operation).map_or("Vente", |o| o.label());
    // The first line names the invoice; the others are counted, not left out silently.
    let others = match line.line_count - 1 {
        n if n < 1 => String::new(),
        1 => " et 1 autre ligne".into(),
        n => format!(" et {n} autres lignes"),
    };
    match line.description.trim() {
        "" => operation.to_string(),
        what => format!("{operation} — {what}{others}"),
    }
}

const CSV_HEADER: &str = "Date d'encaissement;Client;Facture;Nature;Montant;Mode de paiement";

/// The register as CSV for a French spreadsheet: `;` between fields, decimal comma, one line
/// per receipt, and the total last.
pub fn csv(register: &ReceiptsView) -> String {
    let mut out = String::with_capacity(64 * (register.lines.len() + 2));
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for l in &register.lines {
        let fields = [
            l.date.french(),
            cell(&l.client),
            cell(&l.invoice_number),
            cell(&l.nature),
            Money::from_cents(l.amount_cents).to_input(),
            cell(&l.method),
        ];
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    out.push_str(&format!(";;;Total;{};\r\n", Money::from_cents(register.total_cents).to_input()));
    out
}

/// Quotes a text field when needed, and defuses text a spreadsheet would run as a formula.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_string() };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub async fn pdf(
    state: &AppState,
    business_id: BusinessId,
    register: &ReceiptsView,
) -> Result<Vec<u8>, AppError> {
    let business = super::business::record(state, business_id).await?;
    let p = &business.profile;
    let document = RegisterDocument {
        business: p.name.clone(),
        siret: p.siret.clone(),
        address: [p.address_line1.clone(), p.address_line2.clone(), format!("{} {}", p.postal_code, p.city)]
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect(),
        period: format!("du {} au {}", register.from.french(), register.to.french()),
        lines: register
            .lines
            .iter()
            .map(|l| {
                [
                    l.date.french(),
                    l.client.clone(),
                    l.invoice_number.clone(),
                    l.nature.clone(),
                    Money::from_cents(l.amount_cents).to_string(),
                    l.method.clone(),
                ]
            })
            .collect(),
        total: Money::from_cents(register.total_cents).to_string(),
        count: register.lines.len(),
        brand_color: p.brand_color.clone(),
    };
    let renderer = state.pdf.clone();
    super::cpu::run("rendering the register", move || renderer.render_register(&document))
        .await?
        .map_err(|e| super::internal("register PDF", e))
}

/// The file name of an export: `livre-des-recettes-2026-01-01-2026-11-28.csv`.
pub fn file_name(register: &ReceiptsView, extension: &str) -> String {
    format!("livre-des-recettes-{}-{}.{extension}", register.from, register.to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(amount: i64, description: &str, credit_note: Option<&str>) -> ReceiptLine {
        ReceiptLine {
            date: "2026-11-28".into(),
            invoice_id: 1,
            invoice_number: "F-2026-0001".into(),
            client: "Durand; fils".into(),
            operation: "services".into(),
            description: description.into(),
            line_count: 1,
            amount: Money::from_cents(amount),
            revenue_ht: Money::from_cents(amount),
            fee: Money::default(),
            method: "transfer".into(),
            credit_note_number: credit_note.map(Into::into),
            test: false,
        }
    }

    #[test]
    fn payments_and_refunds_read_in_the_register() {
        let paid = view(&line(12_000, "Site vitrine", None));
        assert_eq!(paid.nature, "Prestation de services — Site vitrine");
        let several = view(&ReceiptLine { line_count: 3, ..line(12_000, "Site vitrine", None) });
        assert_eq!(several.nature, "Prestation de services — Site vitrine et 2 autres lignes");
        let two = view(&ReceiptLine { line_count: 2, ..line(12_000, "Site vitrine", None) });
        assert_eq!(two.nature, "Prestation de services — Site vitrine et 1 autre ligne");
        assert_eq!(paid.method, "Virement");
        let refund = view(&line(-5_000, "Site vitrine", Some("AV-2026-0001")));
        assert_eq!(refund.nature, "Remboursement (avoir AV-2026-0001)");
        assert_eq!(refund.amount_cents, -5_000);
        let test = view(&ReceiptLine { method: "online_card".into(), test: true, ..line(3_000, "", None) });
        assert!(test.test);
        assert!(test.method.ends_with("(test)"), "{}", test.method);
    }

    #[test]
    fn a_period_is_both_dates_or_one_with_its_year() {
        let today = Date::parse("2026-11-28").unwrap();
        let span = |from: &str, to: &str| {
            period(today, from, to, MAX_YEARS).map(|p| (p.from.to_string(), p.to.to_string()))
        };
        let pair = |a: &str, b: &str| Ok((a.to_string(), b.to_string()));
        assert_eq!(span("", ""), pair("2026-01-01", "2026-11-28"), "this year so far");
        assert_eq!(span("2026-03-01", "2026-03-31"), pair("2026-03-01", "2026-03-31"));
        assert_eq!(span("2025-03-01", ""), pair("2025-03-01", "2025-12-31"));
        assert_eq!(span("", "2025-03-31"), pair("2025-01-01", "2025-03-31"));
        let Err(AppError::Invalid(errors)) = span("hier", "") else { panic!("a bad date is refused") };
        assert_eq!(errors.get("from").as_deref(), Some("Indiquez une date valide."));
        assert!(span("2026-03-31", "2026-03-01").is_err(), "the end before the start");
        assert!(span("2000-01-01", "2026-01-01").is_err(), "longer than the limit");
    }

    #[test]
    fn csv_is_spreadsheet_ready() {
        let lines = vec![view(&line(12_000, "=HYPERLINK(\"x\")", None)), view(&line(-5_000, "", None))];
        let register = ReceiptsView {
            today: Date::parse("2026-11-28").unwrap(),
            from: Date::parse("2026-01-01").unwrap(),
            to: Date::parse("2026-12-31").unwrap(),
            total_cents: 7_000,
            lines,
        };
        let csv = csv(&register);
        let rows: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(rows[0], CSV_HEADER);
        assert_eq!(
            rows[1],
            "28/11/2026;\"Durand; fils\";F-2026-0001;\"Prestation de services — =HYPERLINK(\"\"x\"\")\";120,00;Virement"
        );
        assert_eq!(rows[2], "28/11/2026;\"Durand; fils\";F-2026-0001;Remboursement;-50,00;Virement");
        assert_eq!(rows[3], ";;;Total;70,00;");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(file_name(&register, "csv"), "livre-des-recettes-2026-01-01-2026-12-31.csv");
    }
}
