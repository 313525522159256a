//! The server's secret key (it signs payment links): `REGLO_SECRET_KEY` when set, otherwise a
//! key drawn on first start and kept in `$REGLO_DATA_DIR/secret.key`, readable by its owner only.
//! Several instances sharing one database must share this key.

use anyhow::{bail, Context, Result};
use app::state::SecretKey;
use std::io::Write;
use std::path::Path;

pub fn load(from_env: Option<&str>, data_dir: &Path) -> Result<SecretKey> {
    if let Some(hex) = from_env {
        return parse(hex).context("REGLO_SECRET_KEY must be 64 hexadecimal characters");
    }
    let path = data_dir.join("secret.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text).with_context(|| format!("{} is not a valid key", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Draws a key and publishes it whole: written to a file of its own first, then linked under
/// its final name, which fails if another process got there first, whose key is then the one.
/// So two instances starting together never read a half-written key nor keep two keys.
fn create(path: &Path) -> Result<SecretKey> {
    let hex = app::services::session_cookie::new_token();
    let draft = path.with_extension(format!("key.{}", &app::services::session_cookie::new_token()[..12]));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&draft).with_context(|| format!("creating {}", draft.display()))?;
    file.write_all(hex.as_bytes())?;
    file.sync_all()?;
    let linked = std::fs::hard_link(&draft, path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "secret key created");
            parse(&hex)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            parse(&text).with_context(|| format!("{} is not a valid key", path.display()))
        }
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

fn parse(hex: &str) -> Result<SecretKey> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("expected 64 hexadecimal characters");
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)?;
    }
    Ok(SecretKey(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let first = load(None, dir.path()).unwrap();
        let again = load(None, dir.path()).unwrap();
        assert_eq!(first.0, again.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secret.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(load(Some("abc"), dir.path()).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no draft left behind");
        assert_eq!(load(Some(&"01".repeat(32)), dir.path()).unwrap().0, [1; 32]);
    }

    #[test]
    fn instances_starting_together_share_one_whole_key() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let keys: Vec<[u8; 32]> = std::thread::scope(|scope| {
                let starts: Vec<_> =
                    (0..8).map(|_| scope.spawn(|| load(None, dir.path()).unwrap().0)).collect();
                starts.into_iter().map(|s| s.join().unwrap()).collect()
            });
            assert!(keys.iter().all(|k| *k == keys[0]), "every instance reads the same key");
        }
    }
}
