//! « Clients »: the list with search, and the form to add or edit one.

use crate::components::form::{ErrorBanner, Field, FormState};
use crate::components::resource::resource;
use crate::domain::ClientKind;
use crate::error::AppError;
use crate::functions::clients::{list_clients, ArchiveClient, ClientView, SaveClient};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg_attr(any(feature = "ssr", feature = "bundle-pages"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "bundle-pages")), component)]
pub fn ClientsPage() -> impl IntoView {
    crate::components::island::count_hydrated();
    let search = RwSignal::new(String::new());
    let show_archived = RwSignal::new(false);
    let version = RwSignal::new(0u32);
    let clients = resource(
        move || (search.get(), show_archived.get(), version.get()),
        |(search, archived, _)| list_clients(search, archived),
    );
    // `Some(None)`: a new client; `Some(Some(c))`: editing `c`.
    let editing = RwSignal::new(None::<Option<ClientView>>);
    let archive = ServerAction::<ArchiveClient>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = archive.value().get() {
            version.update(|n| *n += 1);
        }
    });
    let on_done = Callback::new(move |saved: Option<ClientView>| {
        editing.set(None);
        if saved.is_some() {
            version.update(|n| *n += 1);
        }
    });

    view! {
        <Title text="Clients"/>
        <div class="page-header">
            <h1>"Clients"</h1>
            <button class="btn btn-primary" on:click=move |_| editing.set(Some(None))>"Nouveau client"</button>
        </div>
        {move || editing.get().map(|existing| view! { <ClientForm existing on_done/> })}
        <div class="toolbar">
            <input
                type="search"
                class="search"
                placeholder="Rechercher par nom, e-mail ou SIREN"
                aria-label="Rechercher un client"
                prop:value=move || search.get()
                on:input=move |ev| search.set(event_target_value(&ev))
            />
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || show_archived.get()
                    on:change=move |ev| show_archived.set(event_target_checked(&ev))/>
                "Voir les clients archivés"
            </label>
        </div>
        <ErrorBanner error=Signal::derive(move || archive.value().get().and_then(Result::err))/>
        <Transition fallback=|| view! { <p class="loading">"Chargement des clients…"</p> }>
            {move || Suspend::new(async move {
                match clients.await {
                    Err(e) => view! { <ErrorBanner error=Signal::derive(move || Some(e.clone()))/> }.into_any(),
                    Ok(list) if list.is_empty() => {
                        empty_state(&search.get_untracked(), show_archived.get_untracked(), editing).into_any()
                    }
                    Ok(list) => view! { <ClientTable list editing archive/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn empty_state(search: &str, archived: bool, editing: RwSignal<Option<Option<ClientView>>>) -> impl IntoView {
    let (title, text) = if !search.trim().is_empty() {
        (
            format!("Aucun client ne correspond à « {} »", search.trim()),
            "Vérifiez l'orthographe ou cherchez par e-mail ou SIREN.",
        )
    } else if archived {
        ("Aucun client archivé".to_string(), "Les clients que vous archivez apparaissent ici.")
    } else {
        (
            "Aucun client pour l'instant".to_string(),
            "Ajoutez vos clients une fois : vous les retrouverez à chaque facture.",
        )
    };
    view! {
        <section class="card empty-state">
            <h2>{title}</h2>
            <p>{text}</p>
            {(search.trim().is_empty() && !archived).then(|| view! {
                <button class="btn btn-primary" on:click=move |_| editing.set(Some(None))>"Ajouter mon premier client"</button>
            })}
        </section>
    }
}

#[component]
fn ClientTable(
    list: Vec<ClientView>,
    editing: RwSignal<Option<Option<ClientView>>>,
    archive: ServerAction<ArchiveClient>,
) -> impl IntoView {
    let count = list.len();
    let rows = list
        .into_iter()
        .map(|c| {
            let for_edit = c.clone();
            let (id, archived) = (c.id, c.archived);
            let kind = if c.client.kind == ClientKind::Person.code() { ClientKind::Person } else { ClientKind::Business };
            view! {
                <tr>
                    <td>
                        <strong class="client-name">{c.client.name.clone()}</strong>
                        {(!c.client.siren.is_empty()).then(|| view! { <small class="client-siren">"SIREN " {c.client.siren.clone()}</small> })}
                    </td>
                    <td>{kind.label()}</td>
                    <td>{if c.client.email.is_empty() { "—".to_string() } else { c.client.email.clone() }}</td>
                    <td>{format!("{} {}", c.client.postal_code, c.client.city)}</td>
                    <td class="row-actions">
                        <button class="btn btn-ghost" on:click=move |_| editing.set(Some(Some(for_edit.clone())))>"Modifier"</button>
                        <button class="btn btn-ghost" on:click=move |_| { archive.dispatch(ArchiveClient { id, archived: !archived }); }>
                            {if archived { "Réactiver" } else { "Archiver" }}
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card table-card">
            <table>
                <thead>
                    <tr>
                        <th>"Nom"</th>
                        <th>"Type"</th>
                        <th>"E-mail de facturation"</th>
                        <th>"Ville"</th>
                        <th><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="table-count">{format!("{count} client{}", if count > 1 { "s" } else { "" })}</p>
        </section>
    }
}

/// Adds or edits a client; validated as it is typed by the same code the server runs.
/// `on_done` gets the saved client, or `None` when cancelled.
#[component]
pub fn ClientForm(existing: Option<ClientView>, on_done: Callback<Option<ClientView>>) -> impl IntoView {
    let id = existing.as_ref().map(|c| c.id);
    let st = FormState::new(existing.map(|c| c.client).unwrap_or_default());
    let save = ServerAction::<SaveClient>::new();
    let server_error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => on_done.run(Some(saved)),
        Some(Err(e)) => {
            st.check_all();
            server_error.set(Some(e));
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if st.check_all() {
            server_error.set(None);
            save.dispatch(SaveClient { id, client: st.input.get_untracked() });
        } else {
            server_error.set(Some(AppError::Invalid(st.errors.get_untracked())));
        }
    };
    let is_business = st.is("kind", "business");
    let is_person = st.is("kind", "person");

    view! {
        <form class="card client-form" on:submit=on_submit novalidate>
            <h2>{if id.is_some() { "Modifier le client" } else { "Nouveau client" }}</h2>
            <fieldset class="choice-group choice-row">
                <legend class="sr-only">"Type de client"</legend>
                <label class="choice">
                    <input type="radio" name="kind" value="business" checked=is_business prop:checked=is_business
                        on:change=move |_| st.set("kind", "business".into())/>
                    <span><strong>"Entreprise"</strong><small>"Professionnel, association…"</small></span>
                </label>
                <label class="choice">
                    <input type="radio" name="kind" value="person" checked=is_person prop:checked=is_person
                        on:change=move |_| st.set("kind", "person".into())/>
                    <span><strong>"Particulier"</strong><small>"Une personne privée"</small></span>
                </label>
            </fieldset>
            <Field name="name" label="Nom ou raison sociale" autocomplete="organization"
                value=st.value("name") on_input=st.setter("name") error=st.error("name")/>
            <Show when=is_business>
                <div class="field-row">
                    <Field name="siren" label="SIREN" inputmode="numeric" placeholder="732 829 320"
                        value=st.value("siren") on_input=st.setter("siren") error=st.error("siren")
                        hint="9 chiffres, sur l'extrait Kbis du client ou annuaire-entreprises.data.gouv.fr ; obligatoire sur une facture entre professionnels."/>
                    <Field name="vat_number" label="N° de TVA intracommunautaire (facultatif)"
                        value=st.value("vat_number") on_input=st.setter("vat_number") error=st.error("vat_number")/>
                </div>
            </Show>
            <Field name="email" label="E-mail de facturation" input_type="email" autocomplete="email"
                value=st.value("email") on_input=st.setter("email") error=st.error("email")
                hint="Les factures lui seront envoyées à cette adresse."/>
            <Field name="address_line1" label="Adresse" autocomplete="address-line1"
                value=st.value("address_line1") on_input=st.setter("address_line1") error=st.error("address_line1")/>
            <Field name="address_line2" label="Complément d'adresse (facultatif)" autocomplete="address-line2"
                value=st.value("address_line2") on_input=st.setter("address_line2") error=st.error("address_line2")/>
            <div class="field-row">
                <Field name="postal_code" label="Code postal" inputmode="numeric" autocomplete="postal-code"
                    value=st.value("postal_code") on_input=st.setter("postal_code") error=st.error("postal_code")/>
                <Field name="city" label="Ville" autocomplete="address-level2"
                    value=st.value("city") on_input=st.setter("city") error=st.error("city")/>
            </div>
            <ErrorBanner error=server_error/>
            <div class="form-buttons">
                <button type="button" class="btn btn-ghost" on:click=move |_| on_done.run(None)>"Annuler"</button>
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Enregistrement…" } else { "Enregistrer le client" }}
                </button>
            </div>
        </form>
    }
    .into_any()
}
