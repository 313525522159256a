//! The business's own data.

use super::{BusinessId, StoreError};
use crate::domain::email_template::{EmailTemplate, TemplateKind};
use crate::domain::{BusinessProfile, BusinessProfileInput, DeclarationFrequency, OnlineStatus};
use async_trait::async_trait;

/// A business as stored: its profile in the form's normalised spelling (empty until first
/// saved), whether it has been completed, and its logo file name under the data dir.
#[derive(Debug, Clone)]
pub struct BusinessRecord {
    pub id: BusinessId,
    pub profile: BusinessProfileInput,
    pub profile_complete: bool,
    pub logo_file: Option<String>,
    /// The methods ticked on a new invoice (codes of [`crate::domain::PaymentMethod`]).
    pub default_payment_methods: Vec<String>,
    pub online: OnlineAccount,
    /// When the account was opened (unix seconds): nothing is due to the URSSAF before it.
    pub created_at: i64,
}

/// A business's Stripe account as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineAccount {
    pub account_id: Option<String>,
    pub status: OnlineStatus,
    /// What Stripe still requires (its field names).
    pub requirements: Vec<String>,
}

impl Default for OnlineAccount {
    fn default() -> Self {
        Self { account_id: None, status: OnlineStatus::NotConfigured, requirements: Vec::new() }
    }
}

/// The business: its profile and logo, its defaults, its e-mail texts, its Stripe account
/// and its URSSAF declaration frequency.
#[async_trait]
pub trait BusinessStore: Send + Sync {
    /// The business with its profile, logo, online-payment account and defaults.
    async fn business(&self, business_id: BusinessId) -> Result<BusinessRecord, StoreError>;

    /// Saves a validated profile and marks it complete.
    async fn save_profile(
        &self,
        business_id: BusinessId,
        profile: &BusinessProfile,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Sets or clears the logo and returns the previous file name, so it can be removed.
    async fn set_logo(
        &self,
        business_id: BusinessId,
        logo_file: Option<&str>,
        now: i64,
    ) -> Result<Option<String>, StoreError>;

    /// Whether any business still uses this logo file.
    async fn logo_in_use(&self, logo_file: &str) -> Result<bool, StoreError>;

    /// The methods ticked on new invoices (codes of [`crate::domain::PaymentMethod`]).
    async fn set_default_payment_methods(
        &self,
        business_id: BusinessId,
        methods: &[String],
        now: i64,
    ) -> Result<(), StoreError>;

    /// The business's edited e-mail texts, by template kind code.
    async fn email_templates(
        &self,
        business_id: BusinessId,
    ) -> Result<Vec<(TemplateKind, EmailTemplate)>, StoreError>;

    /// Saves the business's text for one template kind, replacing any earlier one.
    async fn save_email_template(
        &self,
        business_id: BusinessId,
        kind: TemplateKind,
        template: &EmailTemplate,
        now: i64,
    ) -> Result<(), StoreError>;

    /// How often the business declares its revenue.
    async fn declaration_frequency(
        &self,
        business_id: BusinessId,
    ) -> Result<DeclarationFrequency, StoreError>;

    /// `NotFound` when the business does not exist.
    async fn set_declaration_frequency(
        &self,
        business_id: BusinessId,
        frequency: DeclarationFrequency,
    ) -> Result<(), StoreError>;

    /// Links the business to its new Stripe account, unless it already has one: the account the
    /// business keeps (the first one linked).
    async fn set_stripe_account(
        &self,
        business_id: BusinessId,
        account_id: &str,
        now: i64,
    ) -> Result<String, StoreError>;

    /// Stores what Stripe says of an account; the business it belongs to, if any.
    async fn update_online_status(
        &self,
        account_id: &str,
        status: crate::domain::OnlineStatus,
        requirements: &[String],
        now: i64,
    ) -> Result<Option<BusinessId>, StoreError>;

    /// The business a Stripe connected account belongs to.
    async fn business_by_account(&self, account_id: &str) -> Result<Option<BusinessId>, StoreError>;
}
