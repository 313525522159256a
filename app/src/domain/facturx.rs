//! An issued document as the XML of a Factur-X EN 16931 file (UN/CEFACT Cross Industry Invoice),
//! built from its frozen snapshot — never from the French wording printed on its PDF — with the
//! French rules (BR-FR) that platforms apply at sending: the « cadre de facturation » (BT-23), the
//! PMT/PMD/AAB notes, SIREN-based identifiers and electronic addresses, the VAT franchise as
//! category E with `VATEX-FR-FRANCHISE`.

use super::date::Date;
use super::invoice::{OperationNature, PaymentMethod};
use super::invoice_lines::{InvoiceLine, Totals, VatRate};
use super::money::Money;
use super::{BusinessProfileInput, ClientInput, FieldErrors, VatRegime};

/// What kind of document the XML describes (BT-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacturxKind {
    /// 380.
    Invoice,
    /// 386, a « facture d'acompte ».
    Deposit,
    /// 381, with the invoice it corrects (BG-3).
    CreditNote { corrects: String, corrects_date: Date },
}

/// An issued document's frozen content, as the XML needs it.
#[derive(Debug, Clone)]
pub struct FacturxDocument<'a> {
    pub kind: FacturxKind,
    pub number: &'a str,
    pub issue_date: Date,
    /// The delivery or the service (its start), BT-72.
    pub delivery_date: Date,
    pub due_date: Option<Date>,
    pub operation: OperationNature,
    /// Where goods are delivered when it is not the buyer's address: line, postcode, city (BG-15).
    pub delivery: Option<[&'a str; 3]>,
    pub seller: &'a BusinessProfileInput,
    pub buyer: &'a ClientInput,
    pub lines: &'a [InvoiceLine],
    pub totals: &'a Totals,
    /// Already paid when it is issued (BT-113).
    pub prepaid: Money,
    /// A final invoice deducting deposit invoices.
    pub after_deposits: bool,
    pub methods: &'a [PaymentMethod],
}

/// The « cadre de facturation » (BT-23): goods, services or both (B/S/M), then 1 for an
/// invoice to be paid, 2 for one already paid when issued, 4 for a final invoice after deposits.
pub fn billing_framework(operation: OperationNature, fully_paid: bool, after_deposits: bool) -> String {
    let nature = match operation {
        OperationNature::Goods => 'B',
        OperationNature::Services => 'S',
        OperationNature::Mixed => 'M',
    };
    let case = if after_deposits {
        '4'
    } else if fully_paid {
        '2'
    } else {
        '1'
    };
    format!("{nature}{case}")
}

/// What would make an invoice to `buyer` fail a platform's fatal checks, by the field to fix:
/// a business client's SIREN (BR-FR-11), an address to receive it at (BR-FR-12: the SIREN or,
/// for a private person, an e-mail) and the IBAN a transfer is paid to (BR-61).
pub fn refusals(
    seller: &BusinessProfileInput,
    buyer: &ClientInput,
    methods: &[PaymentMethod],
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let business = buyer.kind == super::ClientKind::Business.code();
    if business && siren(&buyer.siren).len() != 9 {
        errors.push(
            "client_id",
            "Ce client professionnel n'a pas de SIREN valide : complétez sa fiche (une facture électronique doit le porter).",
        );
    } else if !business && buyer.email.trim().is_empty() {
        errors.push(
            "client_id",
            "Ajoutez l'adresse e-mail de ce client sur sa fiche : une facture électronique doit nommer où la recevoir.",
        );
    }
    if methods.contains(&PaymentMethod::Transfer) && seller.iban.trim().is_empty() {
        errors.push(
            "payment_methods",
            "Le virement demande votre IBAN : renseignez-le dans Paramètres › Entreprise ou décochez « Virement ».",
        );
    }
    errors
}

/// Escapes text for XML content and attribute values; drops the characters XML 1.0 forbids.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// « 1234.50 »: two decimals, a dot, a sign when negative.
fn amount(money: Money) -> String {
    let cents = money.cents();
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100)
}

fn date(d: Date) -> String {
    format!("<udt:DateTimeString format=\"102\">{}</udt:DateTimeString>", d.to_string().replace('-', ""))
}

/// The SIREN of a SIRET or SIREN as typed (spaces left out).
fn siren(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).take(9).collect()
}

/// The VAT category of a line (BT-151): exempt under the franchise, zero-rated or standard.
fn category(franchise: bool, rate: VatRate) -> &'static str {
    match (franchise, rate) {
        (true, _) => "E",
        (false, VatRate::Zero) => "Z",
        (false, _) => "S",
    }
}

/// « 5.5 », « 20 ».
fn percent(rate: VatRate) -> &'static str {
    rate.to_api()
}

/// UNTDID 4461 payment means (BT-81) for the methods printed on the invoice.
fn means_code(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Cash => "10",
        PaymentMethod::Cheque => "20",
        PaymentMethod::Transfer => "58",
        PaymentMethod::CardTerminal | PaymentMethod::PaymentLink => "48",
    }
}

fn address(out: &mut String, postcode: &str, line1: &str, line2: &str, city: &str) {
    out.push_str("<ram:PostalTradeAddress>");
    out.push_str(&format!("<ram:PostcodeCode>{}</ram:PostcodeCode>", text(postcode.trim())));
    out.push_str(&format!("<ram:LineOne>{}</ram:LineOne>", text(line1.trim())));
    if !line2.trim().is_empty() {
        out.push_str(&format!("<ram:LineTwo>{}</ram:LineTwo>", text(line2.trim())));
    }
    out.push_str(&format!(
        "<ram:CityName>{}</ram:CityName><ram:CountryID>FR</ram:CountryID>",
        text(city.trim())
    ));
    out.push_str("</ram:PostalTradeAddress>");
}

/// The electronic address (BT-34, BT-49): the SIREN in the French directory (scheme 0225), or
/// the e-mail address of a buyer without SIREN.
fn electronic_address(out: &mut String, siren: &str, email: &str) {
    if !siren.is_empty() {
        out.push_str(&format!("<ram:URIUniversalCommunication><ram:URIID schemeID=\"0225\">{siren}</ram:URIID></ram:URIUniversalCommunication>"));
    } else if !email.trim().is_empty() {
        out.push_str(&format!(
            "<ram:URIUniversalCommunication><ram:URIID schemeID=\"EM\">{}</ram:URIID></ram:URIUniversalCommunication>",
            text(email.trim())
        ));
    }
}

/// The document's `factur-x.xml`.
pub fn cii_xml(doc: &FacturxDocument) -> String {
    let franchise = doc.seller.is_franchise();
    let type_code = match doc.kind {
        FacturxKind::Invoice => "380",
        FacturxKind::Deposit => "386",
        FacturxKind::CreditNote { .. } => "381",
    };
    let fully_paid = doc.prepaid.cents() > 0 && doc.prepaid >= doc.totals.ttc;
    let framework = billing_framework(doc.operation, fully_paid, doc.after_deposits);
    let mut x = String::with_capacity(4_096 + doc.lines.len() * 900);
    x.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rsm:CrossIndustryInvoice \
        xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" \
        xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" \
        xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\" \
        xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\">",
    );
    x.push_str(&format!(
        "<rsm:ExchangedDocumentContext>\
         <ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>{framework}</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>\
         <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>\
         </rsm:ExchangedDocumentContext>"
    ));
    x.push_str(&format!(
        "<rsm:ExchangedDocument><ram:ID>{}</ram:ID><ram:TypeCode>{type_code}</ram:TypeCode><ram:IssueDateTime>{}</ram:IssueDateTime>",
        text(doc.number),
        date(doc.issue_date)
    ));
    let business_buyer = doc.buyer.kind == super::ClientKind::Business.code();
    let recovery = if business_buyer {
        "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. D441-5 du Code de commerce)."
    } else {
        "Pas d'indemnité forfaitaire pour frais de recouvrement : le client n'est pas un professionnel."
    };
    for (code, note) in [
        (
            "PMD",
            format!(
                "En cas de retard de paiement, pénalités exigibles au taux annuel de {} % (art. L441-10 du Code de commerce).",
                doc.seller.late_penalty_rate.trim()
            ),
        ),
        ("PMT", recovery.to_owned()),
        ("AAB", "Pas d'escompte pour paiement anticipé.".to_owned()),
    ]
    .into_iter()
    .chain(doc.seller.on_debits().then(|| ("TXD", format!("{}.", VatRegime::DEBITS_MENTION))))
    {
        x.push_str(&format!(
            "<ram:IncludedNote><ram:Content>{}</ram:Content><ram:SubjectCode>{code}</ram:SubjectCode></ram:IncludedNote>",
            text(&note)
        ));
    }
    x.push_str("</rsm:ExchangedDocument><rsm:SupplyChainTradeTransaction>");

    for (i, line) in doc.lines.iter().enumerate() {
        // A deduction is a negative quantity at a positive price (BR-27: no negative price).
        let negative = line.unit_price.cents() < 0;
        let quantity = line.quantity.to_api();
        let quantity = if negative { format!("-{quantity}") } else { quantity };
        let price = Money::from_cents(line.unit_price.cents().abs());
        let total = line.total_ht();
        let gross = InvoiceLine { discount_bp: 0, ..line.clone() }.total_ht();
        let allowance = (!negative && line.discount_bp > 0).then(|| gross - total);
        x.push_str(&format!(
            "<ram:IncludedSupplyChainTradeLineItem>\
             <ram:AssociatedDocumentLineDocument><ram:LineID>{}</ram:LineID></ram:AssociatedDocumentLineDocument>\
             <ram:SpecifiedTradeProduct><ram:Name>{}</ram:Name></ram:SpecifiedTradeProduct>\
             <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>{}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>\
             <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode=\"C62\">{quantity}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>\
             <ram:SpecifiedLineTradeSettlement>\
             <ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{}</ram:CategoryCode><ram:RateApplicablePercent>{}</ram:RateApplicablePercent></ram:ApplicableTradeTax>",
            i + 1,
            text(&line.description),
            amount(price),
            category(franchise, line.vat_rate),
            if franchise { "0" } else { percent(line.vat_rate) },
        ));
        if let Some(allowance) = allowance.filter(|a| a.cents() > 0) {
            x.push_str(&format!(
                "<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>\
                 <ram:ActualAmount>{}</ram:ActualAmount><ram:Reason>Remise</ram:Reason></ram:SpecifiedTradeAllowanceCharge>",
                amount(allowance)
            ));
        }
        x.push_str(&format!(
            "<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>\
             </ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>",
            amount(total)
        ));
    }

    // Seller (BG-4): SIREN (BT-30, scheme 0002), its electronic address, and its VAT number
    // (BT-31) or, under the franchise, its tax registration (BT-32, BR-E-02).
    let seller = doc.seller;
    let seller_siren = siren(&seller.siret);
    x.push_str("<ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty>");
    x.push_str(&format!("<ram:Name>{}</ram:Name>", text(seller.name.trim())));
    x.push_str(&format!(
        "<ram:SpecifiedLegalOrganization><ram:ID schemeID=\"0002\">{seller_siren}</ram:ID></ram:SpecifiedLegalOrganization>"
    ));
    address(&mut x, &seller.postal_code, &seller.address_line1, &seller.address_line2, &seller.city);
    electronic_address(&mut x, &seller_siren, &seller.email);
    if !franchise && !seller.vat_number.trim().is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            text(&seller.vat_number.replace(' ', ""))
        ));
    } else {
        x.push_str(&format!(
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"FC\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            seller.siret.chars().filter(char::is_ascii_digit).collect::<String>()
        ));
    }
    x.push_str("</ram:SellerTradeParty>");

    // Buyer (BG-7): a business with its SIREN (BT-47), a person by name and e-mail.
    let buyer = doc.buyer;
    let buyer_siren = if business_buyer { siren(&buyer.siren) } else { String::new() };
    x.push_str(&format!("<ram:BuyerTradeParty><ram:Name>{}</ram:Name>", text(buyer.name.trim())));
    if !buyer_siren.is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedLegalOrganization><ram:ID schemeID=\"0002\">{buyer_siren}</ram:ID></ram:SpecifiedLegalOrganization>"
        ));
    }
    address(&mut x, &buyer.postal_code, &buyer.address_line1, &buyer.address_line2, &buyer.city);
    electronic_address(&mut x, &buyer_siren, &buyer.email);
    if business_buyer && !buyer.vat_number.trim().is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            text(&buyer.vat_number.replace(' ', ""))
        ));
    }
    x.push_str("</ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement>");
    x.push_str("<ram:ApplicableHeaderTradeDelivery>");
    if let Some([line1, postcode, city]) = doc.delivery {
        x.push_str("<ram:ShipToTradeParty>");
        address(&mut x, postcode, line1, "", city);
        x.push_str("</ram:ShipToTradeParty>");
    }
    x.push_str(&format!(
        "<ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime>{}</ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent></ram:ApplicableHeaderTradeDelivery>",
        date(doc.delivery_date)
    ));

    x.push_str("<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>");
    if !matches!(doc.kind, FacturxKind::CreditNote { .. }) {
        let mut codes: Vec<&str> = Vec::new();
        for method in doc.methods {
            let code = means_code(*method);
            if codes.contains(&code) {
                continue;
            }
            codes.push(code);
            x.push_str(&format!(
                "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>{code}</ram:TypeCode>"
            ));
            if code == "58" && !seller.iban.trim().is_empty() {
                x.push_str(&format!(
                    "<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>",
                    text(&seller.iban.replace(' ', ""))
                ));
                if !seller.bic.trim().is_empty() {
                    x.push_str(&format!(
                        "<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>{}</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>",
                        text(seller.bic.trim())
                    ));
                }
            }
            x.push_str("</ram:SpecifiedTradeSettlementPaymentMeans>");
        }
    }
    // VAT breakdown (BG-23): one entry per category and rate; the franchise's reason here only.
    let mut groups: Vec<(&str, VatRate, Money)> = Vec::new();
    for line in doc.lines {
        let key = (category(franchise, line.vat_rate), if franchise { VatRate::Zero } else { line.vat_rate });
        match groups.iter_mut().find(|g| (g.0, g.1) == key) {
            Some(g) => g.2 += line.total_ht(),
            None => groups.push((key.0, key.1, line.total_ht())),
        }
    }
    groups.sort_by_key(|g| g.1);
    for (cat, rate, base) in &groups {
        let vat =
            doc.totals.vat.iter().find(|v| v.rate == *rate && *cat == "S").map_or(Money::ZERO, |v| v.vat);
        let exemption = if *cat == "E" {
            format!("<ram:ExemptionReason>{}</ram:ExemptionReason>", text(VatRegime::FRANCHISE_MENTION))
        } else {
            String::new()
        };
        let exemption_code = if *cat == "E" {
            "<ram:ExemptionReasonCode>VATEX-FR-FRANCHISE</ram:ExemptionReasonCode>"
        } else {
            ""
        };
        // BT-8: VAT due on the invoice's date (code 5) under the option for debits.
        let tax_point = if *cat == "S" && doc.seller.on_debits() {
            "<ram:DueDateTypeCode>5</ram:DueDateTypeCode>"
        } else {
            ""
        };
        x.push_str(&format!(
            "<ram:ApplicableTradeTax><ram:CalculatedAmount>{}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>{exemption}\
             <ram:BasisAmount>{}</ram:BasisAmount><ram:CategoryCode>{cat}</ram:CategoryCode>{exemption_code}{tax_point}\
             <ram:RateApplicablePercent>{}</ram:RateApplicablePercent></ram:ApplicableTradeTax>",
            amount(vat),
            amount(*base),
            if *cat == "S" { percent(*rate) } else { "0" },
        ));
    }
    if let Some(due) = doc.due_date.filter(|_| !matches!(doc.kind, FacturxKind::CreditNote { .. })) {
        x.push_str(&format!(
            "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime>{}</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>",
            date(due)
        ));
    }
    let prepaid = doc.prepaid.min(doc.totals.ttc).max(Money::ZERO);
    x.push_str(&format!(
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>\
         <ram:LineTotalAmount>{ht}</ram:LineTotalAmount><ram:TaxBasisTotalAmount>{ht}</ram:TaxBasisTotalAmount>\
         <ram:TaxTotalAmount currencyID=\"EUR\">{tax}</ram:TaxTotalAmount><ram:GrandTotalAmount>{ttc}</ram:GrandTotalAmount>\
         <ram:TotalPrepaidAmount>{prepaid}</ram:TotalPrepaidAmount><ram:DuePayableAmount>{due}</ram:DuePayableAmount>\
         </ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
        ht = amount(doc.totals.ht),
        tax = amount(doc.totals.tax),
        ttc = amount(doc.totals.ttc),
        prepaid = amount(prepaid),
        due = amount(doc.totals.ttc - prepaid),
    ));
    if let FacturxKind::CreditNote { corrects, corrects_date } = &doc.kind {
        x.push_str(&format!(
            "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{}</ram:IssuerAssignedID>\
             <ram:FormattedIssueDateTime><qdt:DateTimeString format=\"102\">{}</qdt:DateTimeString></ram:FormattedIssueDateTime>\
             </ram:InvoiceReferencedDocument>",
            text(corrects),
            corrects_date.to_string().replace('-', "")
        ));
    }
    x.push_str("</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::invoice_lines::totals;
    use crate::domain::LineInput;

    fn seller(franchise: bool) -> BusinessProfileInput {
        BusinessProfileInput {
            name: "Marie Dupont EI".into(),
            address_line1: "12 rue des Lilas".into(),
            postal_code: "75011".into(),
            city: "Paris".into(),
            email: "contact@exemple.fr".into(),
            siret: "732 829 320 00074".into(),
            vat_status: if franchise { "franchise" } else { "vat" }.into(),
            vat_number: if franchise { "" } else { "FR44732829320" }.into(),
            iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            bic: "BNPAFRPP".into(),
            late_penalty_rate: "10".into(),
            ..BusinessProfileInput::default()
        }
    }

    fn business() -> ClientInput {
        ClientInput {
            kind: "business".into(),
            name: "Boulangerie Martin".into(),
            siren: "552 100 554".into(),
            email: "compta@martin.fr".into(),
            address_line1: "3 place du Marché".into(),
            postal_code: "69001".into(),
            city: "Lyon".into(),
            ..ClientInput::default()
        }
    }

    fn person() -> ClientInput {
        ClientInput {
            kind: "person".into(),
            name: "Paul Martin".into(),
            siren: String::new(),
            email: "paul@exemple.fr".into(),
            ..business()
        }
    }

    fn line(description: &str, quantity: &str, price: &str, vat: &str, discount: &str) -> InvoiceLine {
        LineInput {
            description: description.into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            vat_rate: vat.into(),
            discount: discount.into(),
            ..LineInput::default()
        }
        .parse(false)
        .expect("a line")
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn issuing_refuses_what_a_platform_would_reject() {
        let transfer = [PaymentMethod::Transfer];
        assert!(refusals(&seller(true), &business(), &transfer).is_empty());
        assert!(refusals(&seller(true), &person(), &[PaymentMethod::Cheque]).is_empty());
        let no_siren = ClientInput { siren: "12345".into(), ..business() };
        let errors = refusals(&seller(true), &no_siren, &transfer);
        assert!(errors.get("client_id").unwrap().contains("SIREN"));
        let unreachable = ClientInput { email: " ".into(), ..person() };
        assert!(refusals(&seller(true), &unreachable, &transfer)
            .get("client_id")
            .unwrap()
            .contains("e-mail"));
        let no_iban = BusinessProfileInput { iban: String::new(), ..seller(true) };
        let errors = refusals(&no_iban, &business(), &[PaymentMethod::Cheque, PaymentMethod::Transfer]);
        assert!(errors.get("payment_methods").unwrap().contains("IBAN"));
        assert!(refusals(&no_iban, &business(), &[PaymentMethod::PaymentLink]).is_empty());
    }

    /// One document of the golden set: its name and XML.
    fn golden() -> Vec<(&'static str, String)> {
        let (franchise, vat) = (seller(true), seller(false));
        let (company, private) = (business(), person());
        let services = [line("Conseil", "1", "100", "20", "")];
        let mixed = [
            line("Développement", "2.5", "450", "20", ""),
            line("Déplacement", "1", "80", "10", ""),
            line("Livre", "2", "19,99", "5.5", "10"),
        ];
        let hostile =
            [line(&format!("<b>&amp; ]]> \"q\" 'a' 😀 {}", "x".repeat(1_900)), "1", "12,34", "20", "")];
        let final_lines =
            [line("Rénovation", "1", "1000", "20", ""), line("Acompte versé", "1", "-300", "20", "")];
        let many: Vec<InvoiceLine> =
            (1..=60).map(|i| line(&format!("Ligne {i}"), "1", "10", "20", "")).collect();
        let mut out = Vec::new();
        let mut push = |name: &'static str,
                        kind: FacturxKind,
                        seller: &BusinessProfileInput,
                        buyer: &ClientInput,
                        lines: &[InvoiceLine],
                        operation: OperationNature,
                        prepaid: i64,
                        after_deposits: bool| {
            let franchise = seller.is_franchise();
            let lines: Vec<InvoiceLine> = lines
                .iter()
                .map(|l| InvoiceLine {
                    vat_rate: if franchise { VatRate::Zero } else { l.vat_rate },
                    ..l.clone()
                })
                .collect();
            let totals = totals(&lines);
            let methods = [PaymentMethod::Transfer, PaymentMethod::PaymentLink, PaymentMethod::Cheque];
            let xml = cii_xml(&FacturxDocument {
                kind,
                number: "F-2026-0007",
                issue_date: date("2026-12-01"),
                delivery_date: date("2026-11-20"),
                due_date: Some(date("2026-12-31")),
                operation,
                // Goods go to a warehouse rather than the buyer's address.
                delivery: (operation == OperationNature::Goods).then_some([
                    "Entrepôt 4",
                    "33000",
                    "Bordeaux",
                ]),
                seller,
                buyer,
                lines: &lines,
                totals: &totals,
                prepaid: Money::from_cents(prepaid),
                after_deposits,
                methods: &methods,
            });
            out.push((name, xml));
        };
        use OperationNature::{Goods, Mixed, Services};
        push(
            "franchise-services-business",
            FacturxKind::Invoice,
            &franchise,
            &company,
            &services,
            Services,
            0,
            false,
        );
        let debits = BusinessProfileInput { vat_on_debits: "true".into(), ..vat.clone() };
        push("vat-three-rates", FacturxKind::Invoice, &debits, &company, &mixed, Mixed, 0, false);
        push("private-person", FacturxKind::Invoice, &vat, &private, &services, Services, 0, false);
        push(
            "franchise-person-goods",
            FacturxKind::Invoice,
            &franchise,
            &private,
            &services,
            Goods,
            0,
            false,
        );
        push("hostile-text", FacturxKind::Invoice, &vat, &company, &hostile, Services, 0, false);
        push("sixty-lines", FacturxKind::Invoice, &vat, &company, &many, Services, 0, false);
        push("paid-before-issue", FacturxKind::Invoice, &vat, &company, &services, Services, 12_000, false);
        push("deposit", FacturxKind::Deposit, &vat, &company, &services, Services, 12_000, false);
        push("final-after-deposit", FacturxKind::Invoice, &vat, &company, &final_lines, Services, 0, true);
        let corrects =
            FacturxKind::CreditNote { corrects: "F-2026-0001".into(), corrects_date: date("2026-11-20") };
        push("credit-note", corrects, &vat, &company, &services, Services, 0, false);
        out
    }

    #[test]
    fn the_cadre_de_facturation_follows_the_operation_and_the_payment() {
        assert_eq!(billing_framework(OperationNature::Services, false, false), "S1");
        assert_eq!(billing_framework(OperationNature::Goods, true, false), "B2");
        assert_eq!(billing_framework(OperationNature::Mixed, false, true), "M4");
    }

    #[test]
    fn the_xml_carries_the_snapshot_s_identifiers_amounts_and_notes() {
        let set = golden();
        let xml = |name: &str| set.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        let franchise = xml("franchise-services-business");
        for expected in [
            "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>",
            "<ram:ID>S1</ram:ID>",
            "<ram:TypeCode>380</ram:TypeCode>",
            "<ram:ID schemeID=\"0002\">732829320</ram:ID>",
            "<ram:ID schemeID=\"0002\">552100554</ram:ID>",
            "<ram:URIID schemeID=\"0225\">552100554</ram:URIID>",
            "<ram:ID schemeID=\"FC\">73282932000074</ram:ID>",
            "<ram:ExemptionReasonCode>VATEX-FR-FRANCHISE</ram:ExemptionReasonCode>",
            "<ram:IBANID>FR7630006000011234567890189</ram:IBANID>",
            "<ram:DuePayableAmount>100.00</ram:DuePayableAmount>",
        ] {
            assert!(franchise.contains(expected), "{expected} in {franchise}");
        }
        for code in ["PMT", "PMD", "AAB"] {
            assert_eq!(
                franchise.matches(&format!("<ram:SubjectCode>{code}</ram:SubjectCode>")).count(),
                1,
                "{code}"
            );
        }
        assert_eq!(franchise.matches("VATEX-FR-FRANCHISE").count(), 1, "in the header breakdown only");
        // 2,5 × 450 + 80 + 2 × 19,99 − 10 %: one breakdown per rate, the discount as an allowance.
        let rates = xml("vat-three-rates");
        for expected in [
            "<ram:BasisAmount>35.98</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:DueDateTypeCode>5</ram:DueDateTypeCode><ram:RateApplicablePercent>5.5</ram:RateApplicablePercent>",
            "<ram:BasisAmount>80.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:DueDateTypeCode>5</ram:DueDateTypeCode><ram:RateApplicablePercent>10</ram:RateApplicablePercent>",
            "<ram:BasisAmount>1125.00</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode><ram:DueDateTypeCode>5</ram:DueDateTypeCode><ram:RateApplicablePercent>20</ram:RateApplicablePercent>",
            "<ram:ActualAmount>4.00</ram:ActualAmount>",
            "<ram:ID schemeID=\"VA\">FR44732829320</ram:ID>",
            "<ram:ID>M1</ram:ID>",
            "<ram:Content>Option pour le paiement de la taxe d&apos;après les débits.</ram:Content><ram:SubjectCode>TXD</ram:SubjectCode>",
        ] {
            assert!(rates.contains(expected), "{expected} in {rates}");
        }
        assert!(!xml("private-person").contains("TXD"), "no option, no mention");
        assert!(xml("paid-before-issue").contains("<ram:ID>S2</ram:ID>"));
        assert!(xml("paid-before-issue").contains("<ram:DuePayableAmount>0.00</ram:DuePayableAmount>"));
        assert!(xml("deposit").contains("<ram:TypeCode>386</ram:TypeCode>"));
        let final_invoice = xml("final-after-deposit");
        assert!(final_invoice.contains("<ram:ID>S4</ram:ID>"));
        assert!(
            final_invoice.contains("<ram:BilledQuantity unitCode=\"C62\">-1</ram:BilledQuantity>"),
            "{final_invoice}"
        );
        assert!(!final_invoice.contains("<ram:ChargeAmount>-"), "no negative price (BR-27)");
        let credit = xml("credit-note");
        assert!(
            credit.contains("<ram:TypeCode>381</ram:TypeCode>")
                && credit.contains("<ram:IssuerAssignedID>F-2026-0001")
        );
        assert!(xml("private-person").contains("<ram:URIID schemeID=\"EM\">paul@exemple.fr</ram:URIID>"));
        let goods = xml("franchise-person-goods");
        assert!(goods.contains("<ram:ShipToTradeParty><ram:PostalTradeAddress><ram:PostcodeCode>33000</ram:PostcodeCode><ram:LineOne>Entrepôt 4</ram:LineOne><ram:CityName>Bordeaux</ram:CityName>"), "{goods}");
        assert!(!franchise.contains("ShipToTradeParty"), "services: no delivery address");
        let hostile = xml("hostile-text");
        assert!(hostile.contains("&lt;b&gt;&amp;amp; ]]&gt; &quot;q&quot; &apos;a&apos; 😀"), "escaped");
    }

    /// The golden set through the validator French platforms use (`../shared/facturx`, with its
    /// Python packages): skipped, and said so, where the kit or Python's packages are absent.
    #[test]
    fn the_golden_set_passes_the_platforms_checks() {
        let kit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/facturx/validate.py");
        let python = std::env::var("REGLO_FACTURX_PYTHON").unwrap_or_else(|_| {
            format!("{}/.cache/reglo-facturx/bin/python", std::env::var("HOME").unwrap_or_default())
        });
        if !kit.exists() || !std::path::Path::new(&python).exists() {
            eprintln!(
                "SKIPPED: Factur-X validation needs {} and {python} (lxml pikepdf saxonche)",
                kit.display()
            );
            return;
        }
        let dir = std::env::temp_dir().join(format!("reglo-facturx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, xml) in golden() {
            let file = dir.join(format!("{name}.xml"));
            std::fs::write(&file, xml).unwrap();
            let run =
                std::process::Command::new(&python).arg(&kit).arg(&file).output().expect("validate.py runs");
            assert!(
                run.status.success(),
                "{name}: {}{}",
                String::from_utf8_lossy(&run.stdout),
                String::from_utf8_lossy(&run.stderr)
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
