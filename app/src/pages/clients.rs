use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ClientsPage() -> impl IntoView {
    view! {
        <Title text="Clients"/>
        <div class="page-header"><h1>"Clients"</h1></div>
        <section class="card empty-state">
            <h2>"Aucun client pour l'instant"</h2>
            <p>"Votre carnet de clients arrive très prochainement."</p>
        </section>
    }
}
