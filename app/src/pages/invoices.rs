use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn InvoicesPage() -> impl IntoView {
    view! {
        <Title text="Factures"/>
        <div class="page-header"><h1>"Factures"</h1></div>
        <section class="card empty-state">
            <h2>"Aucune facture pour l'instant"</h2>
            <p>"La création de factures arrive très prochainement. Commencez par compléter le profil de votre entreprise : il figurera sur chacune d'elles."</p>
            <a class="btn btn-primary" href="/parametres/entreprise">"Compléter mon profil"</a>
        </section>
    }
}
