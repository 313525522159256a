//! Rendered PDFs of issued documents, kept in memory: an issued invoice never changes, so its
//! PDF is the same until money moves on it (what the key names); a busy pay page or a resent
//! e-mail then costs no rendering. Bounded in bytes, oldest out first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// What the cache may hold in all.
const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Default)]
pub struct PdfCache(Mutex<Entries>);

#[derive(Default)]
struct Entries {
    files: HashMap<String, Arc<Vec<u8>>>,
    order: VecDeque<String>,
    bytes: usize,
}

impl PdfCache {
    pub fn get(&self, key: &str) -> Option<Arc<Vec<u8>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).files.get(key).cloned()
    }

    pub fn put(&self, key: String, pdf: Arc<Vec<u8>>) {
        if pdf.len() > MAX_BYTES / 4 {
            return;
        }
        let mut entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if entries.files.contains_key(&key) {
            return;
        }
        entries.bytes += pdf.len();
        entries.order.push_back(key.clone());
        entries.files.insert(key, pdf);
        while entries.bytes > MAX_BYTES {
            let Some(oldest) = entries.order.pop_front() else { break };
            if let Some(gone) = entries.files.remove(&oldest) {
                entries.bytes -= gone.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_fits_and_lets_the_oldest_go() {
        let cache = PdfCache::default();
        let big = Arc::new(vec![0u8; MAX_BYTES / 5]);
        for i in 0..6 {
            cache.put(format!("doc-{i}"), big.clone());
        }
        assert!(cache.get("doc-0").is_none(), "the oldest went");
        assert!(cache.get("doc-5").is_some());
        assert!(cache.get("missing").is_none());
    }
}
