//! « Connexion » and « Créer un compte ».

use crate::error::AppError;
use crate::functions::auth::{check_password_link, LogIn, RequestPasswordReset, ResetPassword, SignUp};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="auth-page">
            <div class="auth-card">
                <p class="auth-brand">"Reglo"</p>
                <h1>{title}</h1>
                {children()}
            </div>
            <p class="auth-tagline">"Vos factures, payées en ligne."</p>
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    // Where the visitor comes from: a sign-up, or a confirmation link.
    let query = leptos_router::hooks::use_query_map();
    let notice = {
        query.with_untracked(|q| {
            if q.get("inscription").is_some() {
                Some(("alert-success", "C'est noté : un e-mail vient de partir vers cette adresse (le lien qui la confirme, \
                    ou un rappel si elle a déjà un compte). Connectez-vous pour continuer."))
            } else if q.get("mot-de-passe").is_some() {
                Some(("alert-success", "Mot de passe changé : connectez-vous avec le nouveau. \
                    Tous vos appareils ont été déconnectés."))
            } else {
                match q.get("adresse").as_deref() {
                    Some("confirmee") => Some(("alert-success", "Adresse e-mail confirmée : vous pouvez envoyer vos factures.")),
                    Some(_) => Some(("alert-error", "Ce lien de confirmation n'est plus valable : connectez-vous et demandez-en un nouveau.")),
                    None => None,
                }
            }
        })
    };
    view! {
        <Title text="Connexion"/>
        <AuthCard title="Connexion">
            {notice.map(|(class, text)| view! { <p class=format!("alert {class}") role="status">{text}</p> })}
            <LoginForm/>
            <p class="auth-switch"><a href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a></p>
            <p class="auth-switch">"Pas encore de compte ? " <a href="/inscription">"Créer un compte"</a></p>
        </AuthCard>
    }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-auth"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-auth")), component)]
fn LoginForm() -> impl IntoView {
    crate::components::island::count_hydrated();
    let action = ServerAction::<LogIn>::new();
    let error = move || action.value().get().and_then(Result::err).map(|e| e.to_string());
    view! {
        <ActionForm action=action>
            <div class="field">
                <label for="email">"Adresse e-mail"</label>
                <input id="email" type="email" name="email" autocomplete="email" required/>
            </div>
            <div class="field">
                <label for="password">"Mot de passe"</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
            </div>
            {move || error().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
            <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Connexion…" } else { "Se connecter" }}
            </button>
        </ActionForm>
    }
}

/// A new password and its confirmation (`password`, `password_confirm`), the rule shown
/// before anything is typed and each field's error, announced, in its place.
#[component]
fn NewPassword(label: &'static str, error: Callback<&'static str, Option<String>>) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || error.run("password").is_some()>
            <label for="password">{label}</label>
            <input id="password" type="password" name="password" autocomplete="new-password" required minlength="10"
                aria-describedby="password-message"/>
            <p class="field-message" id="password-message" aria-live="polite">
                {move || match error.run("password") {
                    Some(e) => view! { <span class="field-error">{e}</span> }.into_any(),
                    None => view! { <span class="field-hint">{crate::domain::Password::RULE}</span> }.into_any(),
                }}
            </p>
        </div>
        <div class="field" class:has-error=move || error.run("password_confirm").is_some()>
            <label for="password_confirm">"Confirmez le mot de passe"</label>
            <input id="password_confirm" type="password" name="password_confirm" autocomplete="new-password" required
                aria-describedby="password_confirm-message"/>
            <p class="field-message" id="password_confirm-message" aria-live="polite">
                <span class="field-error">{move || error.run("password_confirm")}</span>
            </p>
        </div>
    }
}

/// « Mot de passe oublié ? »: a link by e-mail, the same answer for any address.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let sent = query.with_untracked(|q| q.get("envoye").is_some());
    view! {
        <Title text="Mot de passe oublié"/>
        <AuthCard title="Mot de passe oublié">
            {sent.then(|| view! {
                <p class="alert alert-success" role="status">
                    "Si un compte existe pour cette adresse, un e-mail vient de partir avec un lien pour choisir \
                     un nouveau mot de passe. Il est valable une heure."
                </p>
            })}
            <p class="auth-intro">"Indiquez l'adresse e-mail de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe."</p>
            <ForgotPasswordForm/>
            <p class="auth-switch"><a href="/connexion">"Retour à la connexion"</a></p>
        </AuthCard>
    }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-auth"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-auth")), component)]
fn ForgotPasswordForm() -> impl IntoView {
    crate::components::island::count_hydrated();
    let action = ServerAction::<RequestPasswordReset>::new();
    let result = move || action.value().get().and_then(Result::err);
    let field_error = move || result().and_then(|e| e.field("email"));
    let general = move || result().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| e.to_string());
    view! {
        <ActionForm action=action>
            <div class="field" class:has-error=move || field_error().is_some()>
                <label for="email">"Adresse e-mail"</label>
                <input id="email" type="email" name="email" autocomplete="email" required
                    aria-describedby="email-message" aria-invalid=move || field_error().is_some().to_string()/>
                <p class="field-message" id="email-message" aria-live="polite"><span class="field-error">{field_error}</span></p>
            </div>
            {move || general().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
            <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Envoi…" } else { "Recevoir un lien" }}
            </button>
        </ActionForm>
    }
}

/// The page an e-mailed reset link opens: a new password, twice.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    view! {
        <Title text="Nouveau mot de passe"/>
        <AuthCard title="Nouveau mot de passe">
            <Suspense fallback=|| view! { <p class="loading">"Vérification du lien…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match check_password_link(token.clone()).await {
                            Err(e) => view! {
                                <p class="alert alert-error" role="alert">{e.to_string()}</p>
                                <p class="auth-switch"><a href="/mot-de-passe-oublie">"Demander un nouveau lien"</a></p>
                            }.into_any(),
                            Ok(()) => view! { <ResetPasswordForm token/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </AuthCard>
    }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-auth"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-auth")), component)]
fn ResetPasswordForm(token: String) -> impl IntoView {
    crate::components::island::count_hydrated();
    let action = ServerAction::<ResetPassword>::new();
    let result = move || action.value().get().and_then(Result::err);
    let field_error = move |name: &'static str| move || result().and_then(|e| e.field(name));
    let general = move || result().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| e.to_string());
    view! {
        <ActionForm action=action>
            <input type="hidden" name="token" value=token/>
            <NewPassword label="Nouveau mot de passe" error=Callback::new(move |f| field_error(f)())/>
            {move || general().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
            <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Enregistrement…" } else { "Changer le mot de passe" }}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    view! {
        <Title text="Créer un compte"/>
        <AuthCard title="Créer votre compte">
            <p class="auth-intro">"Gratuit, sans engagement. Vous compléterez votre entreprise juste après."</p>
            <SignupForm/>
            <p class="auth-switch">"Déjà inscrit ? " <a href="/connexion">"Se connecter"</a></p>
        </AuthCard>
    }
}

#[cfg_attr(any(feature = "ssr", feature = "bundle-auth"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-auth")), component)]
fn SignupForm() -> impl IntoView {
    crate::components::island::count_hydrated();
    let action = ServerAction::<SignUp>::new();
    let result = move || action.value().get().and_then(Result::err);
    let field_error = move |name: &'static str| move || result().and_then(|e| e.field(name));
    let general = move || result().filter(|e| !matches!(e, AppError::Invalid(_))).map(|e| e.to_string());
    view! {
        <ActionForm action=action>
            <div class="field" class:has-error=move || field_error("email")().is_some()>
                <label for="email">"Adresse e-mail"</label>
                <input id="email" type="email" name="email" autocomplete="email" required/>
                <p class="field-message"><span class="field-error">{field_error("email")}</span></p>
            </div>
            <NewPassword label="Mot de passe" error=Callback::new(move |f| field_error(f)())/>
            {move || general().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
            <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                {move || if action.pending().get() { "Création du compte…" } else { "Créer mon compte" }}
            </button>
        </ActionForm>
    }
}
