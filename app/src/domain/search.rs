//! Search that ignores case and accents, alike on every storage backend: the words looked for
//! are folded here, and the columns searched by the SQL expression [`fold_sql`] built from the
//! same table, so « emilie » finds « Émilie » on SQLite and PostgreSQL.

/// Letters written without their accent (lowercase; their capitals are derived).
const FOLDS: [(char, &str); 29] = [
    ('à', "a"),
    ('â', "a"),
    ('ä', "a"),
    ('á', "a"),
    ('ã', "a"),
    ('å', "a"),
    ('ç', "c"),
    ('é', "e"),
    ('è', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('î', "i"),
    ('ï', "i"),
    ('í', "i"),
    ('ì', "i"),
    ('ô', "o"),
    ('ö', "o"),
    ('ó', "o"),
    ('ò', "o"),
    ('õ', "o"),
    ('ù', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ú', "u"),
    ('ÿ', "y"),
    ('ñ', "n"),
    ('œ', "oe"),
    ('æ', "ae"),
    ('ß', "ss"),
];

/// `text` in lowercase without accents.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match FOLDS.iter().find(|(accented, _)| *accented == c) {
            Some((_, plain)) => out.push_str(plain),
            None => out.push(c),
        }
    }
    out
}

/// The SQL expression that folds `column` like [`fold`] does (for the letters of French and its
/// neighbours): `lower()` then each accented letter replaced, its capital too, since SQLite's
/// `lower()` only lowers ASCII.
pub fn fold_sql(column: &str) -> String {
    let mut expr = format!("lower({column})");
    for (accented, plain) in FOLDS {
        let mut forms = vec![accented.to_string()];
        let capital: String = accented.to_uppercase().collect();
        if capital != forms[0] && capital.chars().count() == 1 {
            forms.push(capital);
        }
        for form in forms {
            expr = format!("replace({expr}, '{form}', '{plain}')");
        }
    }
    expr
}

/// `%words%` for `LIKE … ESCAPE '\'`, folded, with LIKE's own wildcards and escape taken
/// literally.
pub fn like_contains(words: &str) -> String {
    let escaped = fold(words.trim()).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_are_ignored() {
        assert_eq!(fold("Émilie CŒUR-Àlvarez"), "emilie coeur-alvarez");
        assert_eq!(fold("Boulangerie Martin"), "boulangerie martin");
        assert_eq!(fold("ÇA"), "ca");
    }

    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(like_contains(" 50%_x\\ "), "%50\\%\\_x\\\\%");
        assert_eq!(like_contains("Élo"), "%elo%");
    }

    #[test]
    fn the_sql_expression_folds_capitals_too() {
        let sql = fold_sql("name");
        assert!(sql.starts_with("replace(replace("));
        assert!(sql.contains("lower(name)"));
        assert!(sql.contains("'É', 'e'") && sql.contains("'é', 'e'") && sql.contains("'Œ', 'oe'"));
        assert!(!sql.contains('"'), "plain SQL string literals");
    }
}
