//! The EquipFlow server: configuration, start-up, HTTP surface, CLI commands.
pub mod cli;
pub mod commands;
pub mod config;
pub mod infra;
pub mod redact;
pub mod seed;
pub mod startup;
pub mod telemetry;
pub mod web;
