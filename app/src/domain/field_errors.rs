//! Validation errors tied to a form field, with a French message shown beside it.

use serde::{Deserialize, Serialize};

/// One problem with one field: `field` is the form/API field name, `message` a French sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every problem found in one submission, in form order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into() });
    }

    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<String> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.clone())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Runs a parser and records its message under `field` on failure.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.push(field, message);
                None
            }
        }
    }
}
