//! Where rampart keeps its state on disk. The compiled-component cache and
//! the advisory database both live under one directory, so the function
//! that finds it belongs to neither.

use std::path::PathBuf;

/// rampart's cache directory: `$RAMPART_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/rampart`, else `~/.cache/rampart`.
pub fn cache_dir() -> Option<PathBuf> {
    std::env::var_os("RAMPART_CACHE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .filter(|v| !v.is_empty())
                .map(|d| PathBuf::from(d).join("rampart"))
        })
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache").join("rampart"))
        })
}
