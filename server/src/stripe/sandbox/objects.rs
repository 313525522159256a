//! The sandbox's Stripe objects, shaped like Stripe's own (every key of the same resource in
//! Stripe's API fixtures is present, so async-stripe reads them as it reads Stripe's).

use serde_json::{json, Value};

pub fn account(id: &str, email: Option<&str>, business_name: &str, created: i64) -> Value {
    let due = json!([
        "business_profile.url",
        "external_account",
        "individual.verification.document",
        "tos_acceptance.date",
        "tos_acceptance.ip"
    ]);
    json!({
        "id": id,
        "object": "account",
        "business_profile": {
            "annual_revenue": { "amount": null, "currency": null, "fiscal_year_end": null },
            "estimated_worker_count": null, "mcc": null, "name": business_name, "product_description": null,
            "support_address": { "city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null },
            "support_email": null, "support_phone": null, "support_url": null, "url": null,
            "minority_owned_business_designation": null
        },
        "business_type": null,
        "capabilities": { "card_payments": "inactive", "transfers": "inactive" },
        "charges_enabled": false,
        "controller": {
            "fees": { "payer": "application" },
            "is_controller": true,
            "losses": { "payments": "stripe" },
            "requirement_collection": "stripe",
            "stripe_dashboard": { "type": "full" },
            "type": "application"
        },
        "country": "FR",
        "created": created,
        "default_currency": "eur",
        "details_submitted": false,
        "email": email,
        "external_accounts": { "data": [], "has_more": false, "object": "list", "url": format!("/v1/accounts/{id}/external_accounts") },
        "future_requirements": {
            "alternatives": [], "current_deadline": null, "currently_due": [], "disabled_reason": null,
            "errors": [], "eventually_due": [], "past_due": [], "pending_verification": []
        },
        "livemode": false,
        "metadata": { "business_name": business_name },
        "payouts_enabled": false,
        "requirements": {
            "alternatives": [], "current_deadline": null, "currently_due": due, "disabled_reason": "requirements.past_due",
            "errors": [], "eventually_due": due, "past_due": [], "pending_verification": []
        },
        "settings": {
            "bacs_debit_payments": { "display_name": null, "service_user_number": null },
            "branding": { "icon": null, "logo": null, "primary_color": null, "secondary_color": null },
            "card_issuing": { "tos_acceptance": { "date": null, "ip": null } },
            "card_payments": {
                "decline_on": { "avs_failure": false, "cvc_failure": true },
                "statement_descriptor_prefix": null, "statement_descriptor_prefix_kana": null, "statement_descriptor_prefix_kanji": null
            },
            "dashboard": { "display_name": business_name, "timezone": "Europe/Paris" },
            "invoices": { "default_account_tax_ids": null, "hosted_payment_method_save": null },
            "payments": {
                "statement_descriptor": null, "statement_descriptor_kana": null, "statement_descriptor_kanji": null,
                "statement_descriptor_prefix_kana": null, "statement_descriptor_prefix_kanji": null
            },
            "payouts": { "debit_negative_balances": true, "schedule": { "delay_days": 7, "interval": "daily" }, "statement_descriptor": null },
            "sepa_debit_payments": {}
        },
        "tos_acceptance": { "date": null, "ip": null, "user_agent": null },
        "type": "none"
    })
}

/// The account once onboarding was simulated: `activate` makes it able to take payments;
/// otherwise everything is submitted and « being verified ».
pub fn onboarded(account: &mut Value, activate: bool, now: i64) {
    account["details_submitted"] = json!(true);
    account["tos_acceptance"] = json!({ "date": now, "ip": "127.0.0.1", "user_agent": "Reglo sandbox" });
    account["requirements"]["currently_due"] = json!([]);
    account["requirements"]["eventually_due"] = json!([]);
    account["requirements"]["past_due"] = json!([]);
    if activate {
        account["charges_enabled"] = json!(true);
        account["payouts_enabled"] = json!(true);
        account["capabilities"] = json!({ "card_payments": "active", "transfers": "active" });
        account["requirements"]["disabled_reason"] = Value::Null;
        account["requirements"]["pending_verification"] = json!([]);
    } else {
        account["requirements"]["disabled_reason"] = json!("requirements.pending_verification");
        account["requirements"]["pending_verification"] = json!(["individual.verification.document"]);
    }
}

pub fn account_link(url: &str, created: i64, expires_at: i64) -> Value {
    json!({ "object": "account_link", "created": created, "expires_at": expires_at, "url": url })
}

/// What the checkout form was asked for, read from Stripe's form encoding.
pub struct SessionParams {
    pub id: String,
    pub url: String,
    pub amount: i64,
    pub currency: String,
    pub product_name: String,
    pub customer_email: Option<String>,
    pub client_reference_id: Option<String>,
    pub metadata: serde_json::Map<String, Value>,
    pub success_url: String,
    pub cancel_url: String,
    pub created: i64,
    pub expires_at: i64,
    pub locale: Option<String>,
}

pub fn checkout_session(p: &SessionParams) -> Value {
    let null_address = json!({ "city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null });
    json!({
        "id": p.id,
        "object": "checkout.session",
        "adaptive_pricing": { "enabled": false },
        "after_expiration": null,
        "allow_promotion_codes": null,
        "amount_subtotal": p.amount,
        "amount_total": p.amount,
        "automatic_tax": { "enabled": false, "liability": null, "status": null, "provider": null },
        "billing_address_collection": null,
        "cancel_url": p.cancel_url,
        "client_reference_id": p.client_reference_id,
        "client_secret": null,
        "collected_information": null,
        "consent": null,
        "consent_collection": null,
        "created": p.created,
        "currency": p.currency,
        "currency_conversion": null,
        "custom_fields": [],
        "custom_text": { "after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null },
        "customer": null,
        "customer_account": null,
        "customer_creation": "if_required",
        "customer_details": p.customer_email.as_ref().map(|email| json!({
            "address": null_address, "email": email, "name": null, "phone": null, "tax_exempt": "none",
            "tax_ids": [], "business_name": null, "individual_name": null
        })),
        "customer_email": p.customer_email,
        "discounts": [],
        "expires_at": p.expires_at,
        "integration_identifier": null,
        "invoice": null,
        "invoice_creation": {
            "enabled": false,
            "invoice_data": {
                "account_tax_ids": null, "custom_fields": null, "description": null, "footer": null, "issuer": null,
                "metadata": {}, "rendering_options": null
            }
        },
        "livemode": false,
        "locale": p.locale,
        "managed_payments": null,
        "metadata": p.metadata,
        "mode": "payment",
        "origin_context": null,
        "payment_intent": null,
        "payment_link": null,
        "payment_method_collection": "if_required",
        "payment_method_configuration_details": null,
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "permissions": null,
        "phone_number_collection": { "enabled": false },
        "recovered_from": null,
        "saved_payment_method_options": null,
        "setup_intent": null,
        "shipping_address_collection": null,
        "shipping_cost": null,
        "shipping_options": [],
        "status": "open",
        "submit_type": "pay",
        "subscription": null,
        "success_url": p.success_url,
        "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
        "ui_mode": "hosted_page",
        "url": p.url,
        "wallet_options": null,
        // Not part of Stripe's session: what the hosted page shows.
        "sandbox_product_name": p.product_name
    })
}

pub fn payment_intent(id: &str, session: &Value, application_fee: i64, now: i64) -> Value {
    json!({
        "id": id,
        "object": "payment_intent",
        "amount": session["amount_total"],
        "amount_capturable": 0,
        "amount_details": { "tip": {} },
        "amount_received": session["amount_total"],
        "application": "ca_reglo_sandbox",
        "application_fee_amount": application_fee,
        "automatic_payment_methods": null,
        "canceled_at": null,
        "cancellation_reason": null,
        "capture_method": "automatic_async",
        "client_secret": format!("{id}_secret_sandbox"),
        "confirmation_method": "automatic",
        "created": now,
        "currency": session["currency"],
        "customer": null,
        "customer_account": null,
        "description": session["sandbox_product_name"],
        "excluded_payment_method_types": null,
        "last_payment_error": null,
        "latest_charge": format!("ch_{}", &id[3..]),
        "livemode": false,
        "managed_payments": null,
        "metadata": session["metadata"],
        "next_action": null,
        "on_behalf_of": null,
        "payment_method": format!("pm_{}", &id[3..]),
        "payment_method_configuration_details": null,
        "payment_method_options": {},
        "payment_method_types": ["card"],
        "processing": null,
        "receipt_email": session["customer_email"],
        "review": null,
        "setup_future_usage": null,
        "shipping": null,
        "source": null,
        "statement_descriptor": null,
        "statement_descriptor_suffix": null,
        "status": "succeeded",
        "transfer_data": null,
        "transfer_group": null
    })
}

pub fn event(id: &str, event_type: &str, account: Option<&str>, object: &Value, now: i64) -> Value {
    json!({
        "id": id,
        "object": "event",
        "account": account,
        "api_version": "2025-11-17.clover",
        "context": null,
        "created": now,
        "data": { "object": object },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": event_type
    })
}

/// A refund of (part of) the card payment `payment_intent`, as Stripe describes it.
pub fn refund(
    id: &str,
    amount: i64,
    payment_intent: &str,
    metadata: &Value,
    status: &str,
    now: i64,
) -> Value {
    json!({
        "id": id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": format!("txn_{}", &id[3..]),
        "charge": format!("ch_{}", &payment_intent[3..]),
        "created": now,
        "currency": "eur",
        "customer": null,
        "customer_account": null,
        "description": null,
        "destination_details": { "card": { "reference": null, "reference_status": "pending", "reference_type": "acquirer_reference_number", "type": "refund" }, "type": "card" },
        "failure_balance_transaction": null,
        "failure_reason": null,
        "instructions_email": null,
        "metadata": metadata,
        "next_action": null,
        "payment_intent": payment_intent,
        "payment_method": format!("pm_{}", &payment_intent[3..]),
        "pending_reason": null,
        "reason": null,
        "receipt_number": null,
        "source_transfer_reversal": null,
        "status": status,
        "transfer_reversal": null
    })
}

/// Stripe's error body.
pub fn error(kind: &str, message: &str, param: Option<&str>) -> Value {
    json!({ "error": { "type": kind, "message": message, "param": param } })
}
