//! Generates the typed `i18n` module from `locales/*.json` (leptos_i18n codegen).
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");

    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let i18n_mod_directory = PathBuf::from(out_dir).join("i18n");

    // Simplified Chinese is the product's home language; English is the other.
    let mut cfg = Config::new("zh")?.add_locale("en")?;
    // Messages with numbers in them ("retry in {{ seconds }} s") as plain strings.
    cfg.options = ParseOptions::new().interpolate_display(true);
    let translations = TranslationsInfos::parse(cfg)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(i18n_mod_directory)?;
    Ok(())
}
