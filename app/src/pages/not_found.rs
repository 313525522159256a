use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page introuvable"/>
        <div class="auth-page">
            <div class="auth-card">
                <h1>"Page introuvable"</h1>
                <p>"L'adresse demandée n'existe pas ou plus."</p>
                <a class="btn btn-primary" href="/">"Retour à l'accueil"</a>
            </div>
        </div>
    }
}
