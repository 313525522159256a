//! What every API handler takes from the request: the business behind the bearer key, and
//! JSON bodies whose mistakes are answered as problems naming the field.

use super::problem::Problem;
use app::ports::BusinessId;
use app::state::{AppState, ClientIp};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, StatusCode};
use serde::de::DeserializeOwned;

/// The business whose API key authenticated the request.
pub struct ApiBusiness(pub BusinessId);

/// Refused keys one client address may present per minute; past that it is told to wait, so
/// that guessing keys (or a misconfigured client looping) stays cheap for everyone else.
const UNAUTHORIZED_PER_MINUTE: u32 = 30;

impl FromRequestParts<AppState> for ApiBusiness {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let refused = match bearer {
            Some(bearer) => match app::services::api_keys::authenticate(state, bearer).await {
                Ok(business_id) => return Ok(ApiBusiness(business_id)),
                Err(e) => Problem::from(e),
            },
            None => Problem::from(app::error::AppError::Unauthorized),
        };
        let ip = parts.extensions.get::<ClientIp>().map_or("inconnue", |ip| ip.0.as_str());
        let key = format!("api-401:{ip}");
        if refused.status == StatusCode::UNAUTHORIZED.as_u16()
            && !state.limits.allow(&key, UNAUTHORIZED_PER_MINUTE, 60, state.now()).await
        {
            return Err(Problem::from(app::error::AppError::TooManyAttempts(
                "Trop de clés d'API refusées depuis votre adresse : réessayez dans une minute.".into(),
            )));
        }
        Err(refused)
    }
}

/// A numeric id in the path; anything else is a problem, not axum's plain text.
pub struct ApiPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiPath {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(ApiPath(id)),
            Err(_) => Err(Problem::new(
                StatusCode::NOT_FOUND,
                "Identifiant inconnu : un nombre entier est attendu.",
            )),
        }
    }
}

/// Query parameters; ones that do not read are a problem naming the parameters' rules.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(e) => {
                tracing::debug!("query refused: {e}");
                Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    "Paramètres de requête invalides : les identifiants et limites sont des nombres entiers.",
                ))
            }
        }
    }
}

/// A JSON body. Wrong types or shapes are a 422 naming the field, not serde's English.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Envoyez le corps en JSON, avec « Content-Type: application/json ».",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|_| {
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "Le corps de la requête dépasse 2 Mo.")
        })?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Ok(ApiJson(value)),
            Err(e) => {
                let path = e.path().to_string();
                let inner = e.into_inner();
                if inner.is_syntax() || inner.is_eof() {
                    return Err(Problem::new(
                        StatusCode::BAD_REQUEST,
                        format!(
                            "Le corps n'est pas du JSON valide (ligne {}, colonne {}).",
                            inner.line(),
                            inner.column()
                        ),
                    ));
                }
                let message = inner.to_string();
                // serde names a missing field in its message and puts the path at its parent.
                let missing = message.strip_prefix("missing field `").and_then(|r| r.split('`').next());
                let field = match (path.as_str(), missing) {
                    (".", Some(name)) => name.to_owned(),
                    (_, Some(name)) => format!("{path}.{name}"),
                    (".", None) => "corps".to_owned(),
                    _ => path,
                };
                Err(Problem::invalid_field(&field, french_serde_error(&message)))
            }
        }
    }
}

/// serde's messages, said in French for the common cases.
fn french_serde_error(message: &str) -> String {
    if message.starts_with("missing field `") {
        "Ce champ est obligatoire.".to_owned()
    } else if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        format!("Champ inconnu : « {name} ».")
    } else if message.starts_with("invalid type") {
        format!("Type incorrect : {} attendu.", french_type(expected(message)))
    } else if message.starts_with("unknown variant") {
        format!("Valeur inconnue ; valeurs possibles : {}.", expected(message))
    } else if message.starts_with("invalid value") {
        "Valeur hors limites.".into()
    } else {
        "Valeur invalide.".into()
    }
}

/// What serde says it expected: « …, expected i64 at line 1 column 9 » → « i64 ».
fn expected(message: &str) -> &str {
    let after = message.split("expected ").nth(1).unwrap_or_default();
    after.split(" at line").next().unwrap_or_default()
}

fn french_type(expected: &str) -> &'static str {
    match expected {
        e if e.contains("i64") || e.contains("integer") || e.contains("u32") || e.contains("u16") => {
            "un entier"
        }
        e if e.contains("bool") => "un booléen",
        e if e.contains("string") || e.contains("str") => "une chaîne de caractères",
        e if e.contains("sequence") => "une liste",
        e if e.contains("struct") || e.contains("map") => "un objet",
        _ => "une autre forme de valeur",
    }
}

/// An integer as JSON Schema counts them, `372` or `372.0` (a number without a fraction), for
/// the inputs the document types `integer`: serde alone refuses the second form.
pub fn integer<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    use serde::de::{Deserialize, Error};
    let number = serde_json::Number::deserialize(deserializer)?;
    let whole = number
        .as_i64()
        .or_else(|| number.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64));
    whole.and_then(|n| T::try_from(n).ok()).ok_or_else(|| {
        D::Error::invalid_type(serde::de::Unexpected::Other(&number.to_string()), &"an integer")
    })
}

/// [`integer`], absent or `null` allowed.
pub fn optional_integer<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    use serde::Deserialize;
    #[derive(Deserialize)]
    struct Whole<T: TryFrom<i64>>(#[serde(deserialize_with = "integer")] T);
    Ok(Option::<Whole<T>>::deserialize(deserializer)?.map(|w| w.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_errors_read_in_french() {
        assert_eq!(
            french_serde_error("missing field `name` at line 1 column 2"),
            "Ce champ est obligatoire."
        );
        assert_eq!(
            french_serde_error("invalid type: string \"x\", expected i64 at line 1 column 9"),
            "Type incorrect : un entier attendu."
        );
        assert_eq!(
            french_serde_error("unknown field `colour`, expected one of `a`"),
            "Champ inconnu : « colour »."
        );
    }
}
